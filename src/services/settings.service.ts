import type { InsightSettings } from '../config/insight-settings.js';
import {
  allowedText,
  runtimeSettingDefinition,
  runtimeSettingDefinitions,
  runtimeSettingsFrom,
  type RuntimeSettingDefinition,
  type RuntimeSettingKey,
  type RuntimeSettings,
  type RuntimeSettingValues,
} from '../config/runtime-settings.js';
import type { SettingRow, SettingsRepository } from '../db/repositories/settings.repository.js';
import { InvalidFieldsError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import type { Logger } from '../logger.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';

/** One setting as the API shows it: what is in force, the environment's default, and why. */
export interface SettingView {
  definition: RuntimeSettingDefinition;
  value: unknown;
  defaultValue: unknown;
  source: 'stored' | 'environment';
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** What services read when they run: the effective settings of this moment. */
export interface SettingsSource {
  effective(): Promise<RuntimeSettings>;
}

/** Runs after a change is stored (re-analysis, re-matching); the changed keys are given. */
export type SettingsChangeReaction = (keys: readonly RuntimeSettingKey[]) => Promise<void>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runtime settings: a stored override, else the environment's value. Every read goes to the
 * database (a handful of rows), so every process — server, worker, scheduler — sees a change at
 * its next run without a cache to invalidate. Stored values pass the same validators as the
 * environment variables; one that no longer does (a later version narrowed a range) is ignored.
 */
export class SettingsService implements SettingsSource {
  private reaction: SettingsChangeReaction = () => Promise.resolve();

  constructor(
    private readonly repo: SettingsRepository,
    private readonly defaults: Readonly<RuntimeSettingValues>,
    /** The insight settings that are not runtime settings (edit patterns, event parameters…). */
    private readonly insightBase: InsightSettings,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
    private readonly log: Logger,
  ) {}

  /** Set once at wiring time: the reaction needs services built after this one. */
  onChange(reaction: SettingsChangeReaction): void {
    this.reaction = reaction;
  }

  async effective(): Promise<RuntimeSettings> {
    const { values } = await this.read();
    return runtimeSettingsFrom(values, this.insightBase);
  }

  async list(): Promise<SettingView[]> {
    const { values, stored } = await this.read();
    return runtimeSettingDefinitions.map((definition) => {
      const row = stored.get(definition.key);
      return {
        definition,
        value: values[definition.key],
        defaultValue: this.defaults[definition.key],
        source: row ? 'stored' : 'environment',
        updatedAt: row?.updated_at ?? null,
        updatedBy: row?.updated_by ?? null,
      };
    });
  }

  /**
   * Applies `changes` (key → new value, or null for the environment's default) all or nothing.
   * Each key whose effective value or source changes is written to the audit log.
   */
  async update(
    who: Principal,
    origin: RequestOrigin,
    changes: Readonly<Record<string, unknown>>,
  ): Promise<SettingView[]> {
    const before = await this.read();
    const errors: { path: string; message: string }[] = [];
    const writes: { key: RuntimeSettingKey; value: unknown }[] = [];
    for (const [key, raw] of Object.entries(changes)) {
      const definition = runtimeSettingDefinition(key);
      if (!definition) {
        errors.push({
          path: `body/${key}`,
          message: `unknown setting; known: ${runtimeSettingDefinitions.map((d) => d.key).join(', ')}`,
        });
        continue;
      }
      if (raw === null) {
        writes.push({ key: definition.key, value: null });
        continue;
      }
      const parsed = definition.schema.safeParse(raw);
      if (parsed.success) writes.push({ key: definition.key, value: parsed.data });
      else
        errors.push({
          path: `body/${key}`,
          message: `${parsed.error.issues[0]?.message ?? 'invalid'}; allowed: ${allowedText(definition.input)}`,
        });
    }
    if (errors.length === 0 && writes.length === 0)
      errors.push({ path: 'body', message: 'name at least one setting to change' });

    const after: RuntimeSettingValues = { ...before.values };
    for (const w of writes)
      Object.assign(after, { [w.key]: w.value === null ? this.defaults[w.key] : w.value });
    const thresholdWritten = writes.some(
      (w) => w.key === 'SIMILAR_THRESHOLD' || w.key === 'DUPLICATE_THRESHOLD',
    );
    if (errors.length === 0 && thresholdWritten && after.SIMILAR_THRESHOLD > after.DUPLICATE_THRESHOLD) {
      const blame = writes.some((w) => w.key === 'SIMILAR_THRESHOLD')
        ? 'SIMILAR_THRESHOLD'
        : 'DUPLICATE_THRESHOLD';
      errors.push({
        path: `body/${blame}`,
        message: `the similar-shot threshold (${after.SIMILAR_THRESHOLD} %) may not be above the duplicate threshold (${after.DUPLICATE_THRESHOLD} %)`,
      });
    }
    if (errors.length > 0) throw new InvalidFieldsError(errors);

    await this.repo.write(writes, who.userId);
    const changed: RuntimeSettingKey[] = [];
    for (const w of writes) {
      const wasStored = before.stored.has(w.key);
      const nowStored = w.value !== null;
      if (same(before.values[w.key], after[w.key]) && wasStored === nowStored) continue;
      changed.push(w.key);
      await this.audit.record(who, origin, 'setting.changed', `setting:${w.key}`, {
        from: before.values[w.key],
        to: after[w.key],
        source: nowStored ? 'stored' : 'environment',
      });
    }
    if (changed.length > 0) {
      this.log.info({ keys: changed, by: who.email }, 'runtime settings changed');
      this.events.emit('settings.changed', { keys: changed });
      await this.reaction(changed);
    }
    return this.list();
  }

  private async read(): Promise<{ values: RuntimeSettingValues; stored: Map<string, SettingRow> }> {
    const values: RuntimeSettingValues = { ...this.defaults };
    const stored = new Map<string, SettingRow>();
    for (const row of await this.repo.all()) {
      const definition = runtimeSettingDefinition(row.key);
      const parsed = definition?.schema.safeParse(row.value);
      if (!definition || !parsed?.success) {
        this.log.warn({ key: row.key }, 'ignoring a stored setting that is unknown or no longer valid');
        continue;
      }
      Object.assign(values, { [definition.key]: parsed.data });
      stored.set(definition.key, row);
    }
    return { values, stored };
  }
}
