import { z } from 'zod';
import { keeperRuleNames, type KeeperRule } from '../domain/keeper-ranking.js';
import { configSchema } from './config.js';
import type { RuntimeSettingKey } from './runtime-settings-values.js';

export type { RuntimeSettingKey, RuntimeSettingValues } from './runtime-settings-values.js';
export { runtimeSettingsFrom, type RuntimeSettings } from './runtime-settings-values.js';

export type RuntimeSettingGroup = 'duplicates' | 'keeper-rules' | 'schedules' | 'trash' | 'insights';

/** How a client renders and checks a setting; bounds come from the config schema itself. */
export type RuntimeSettingInput =
  | { kind: 'number'; min: number; max: number; integer: boolean; unit: string }
  | {
      kind: 'keeper-rules';
      allowed: readonly KeeperRule[];
      /** What each rule prefers (docs/DUPLICATES.md "Keeper rules"). */
      descriptions: Readonly<Record<KeeperRule, string>>;
    }
  | { kind: 'cron' };

export interface RuntimeSettingDefinition {
  key: RuntimeSettingKey;
  group: RuntimeSettingGroup;
  label: string;
  description: string;
  input: RuntimeSettingInput;
  /** The same validator as the environment variable (src/config/config.ts). */
  schema: z.ZodType;
}

/** A number setting's range and step, read from its environment variable's zod schema. */
function numberInput(key: RuntimeSettingKey, unit: string): RuntimeSettingInput {
  const schema = configSchema.shape[key];
  const inner = schema instanceof z.ZodDefault ? schema.unwrap() : schema;
  if (!(inner instanceof z.ZodNumber) || inner.minValue === null || inner.maxValue === null)
    throw new Error(`${key} is not a bounded number in the config schema`);
  return {
    kind: 'number',
    min: inner.minValue,
    max: inner.maxValue,
    integer: inner.format?.includes('int') ?? false,
    unit,
  };
}

const define = (
  key: RuntimeSettingKey,
  group: RuntimeSettingGroup,
  label: string,
  description: string,
  input: RuntimeSettingInput,
): RuntimeSettingDefinition => ({
  key,
  group,
  label,
  description,
  input,
  schema: configSchema.shape[key] as z.ZodType,
});

const keeperRuleDescriptions: Record<KeeperRule, string> = {
  'in-album': 'a copy that is in an album',
  'organised-folder': 'the copy filed most deliberately (dated or named folders, not Downloads or backups)',
  'oldest-mtime': 'the earliest file modification time (the first import)',
  'clean-name': 'a name without copy markers like "copy" or "(1)"',
  'camera-original':
    'the file with the camera make/model and original capture time (not a stripped conversion)',
  'original-format': 'the most original format: RAW > HEIC > TIFF > JPEG > AVIF/PNG > WebP/GIF/BMP',
  resolution: 'more pixels',
  'file-size': 'the larger file (less compression)',
  metadata: 'more descriptive metadata (date, camera, GPS, lens, rating, description)',
  sharpness: 'the sharper picture, when it differs by more than 10 %',
  'oldest-capture': 'the earliest capture time',
};

const rules: RuntimeSettingInput = {
  kind: 'keeper-rules',
  allowed: keeperRuleNames,
  descriptions: keeperRuleDescriptions,
};

/** Every setting an administrator may change at runtime, in the order the settings page shows them. */
export const runtimeSettingDefinitions: readonly RuntimeSettingDefinition[] = [
  define(
    'DUPLICATE_THRESHOLD',
    'duplicates',
    'Duplicate threshold',
    'Similarity at or above which two files are the same picture (offered for removal).',
    numberInput('DUPLICATE_THRESHOLD', '%'),
  ),
  define(
    'SIMILAR_THRESHOLD',
    'duplicates',
    'Similar-shot threshold',
    'Similarity at or above which two pictures are similar shots (shown, never offered for removal). At most the duplicate threshold.',
    numberInput('SIMILAR_THRESHOLD', '%'),
  ),
  define(
    'EXACT_KEEPER_RULES',
    'keeper-rules',
    'Exact copies',
    'Which byte-identical copy to keep: the first rule that tells two copies apart decides.',
    rules,
  ),
  define(
    'NEAR_KEEPER_RULES',
    'keeper-rules',
    'Near duplicates',
    'Which of several files of the same picture to keep: the first rule that tells two apart decides.',
    rules,
  ),
  define(
    'SCHEDULE_RECONCILE',
    'schedules',
    'Library rescan',
    'When every library is rescanned for changes the file watcher missed (cron, server time).',
    { kind: 'cron' },
  ),
  define(
    'SCHEDULE_TRASH_PURGE',
    'schedules',
    'Trash purge',
    'When files past the trash retention are deleted for good (cron, server time).',
    { kind: 'cron' },
  ),
  define(
    'TRASH_RETENTION_DAYS',
    'trash',
    'Trash retention',
    'Days a removed file stays in the trash before the scheduled purge deletes it.',
    numberInput('TRASH_RETENTION_DAYS', 'days'),
  ),
  define(
    'VERSION_CAPTURE_WINDOW_SECONDS',
    'insights',
    'Version capture window',
    'Seconds within which same-name RAW, JPEG and exports count as one shot.',
    numberInput('VERSION_CAPTURE_WINDOW_SECONDS', 's'),
  ),
  define(
    'BURST_WINDOW_SECONDS',
    'insights',
    'Burst window',
    'Largest gap in seconds between consecutive frames of one burst.',
    numberInput('BURST_WINDOW_SECONDS', 's'),
  ),
  define(
    'PLACE_RADIUS_KM',
    'insights',
    'Place radius',
    'Radius in kilometres of the neighbourhood that makes photos one place.',
    numberInput('PLACE_RADIUS_KM', 'km'),
  ),
];

const byKey = new Map(runtimeSettingDefinitions.map((d) => [d.key, d]));

export function runtimeSettingDefinition(key: string): RuntimeSettingDefinition | undefined {
  return byKey.get(key as RuntimeSettingKey);
}

/** Which services must redo their work when a setting changes. */
export const DUPLICATE_THRESHOLD_KEYS: readonly RuntimeSettingKey[] = [
  'DUPLICATE_THRESHOLD',
  'SIMILAR_THRESHOLD',
];
export const DUPLICATE_SETTING_KEYS: readonly RuntimeSettingKey[] = [
  ...DUPLICATE_THRESHOLD_KEYS,
  'EXACT_KEEPER_RULES',
  'NEAR_KEEPER_RULES',
];
export const INSIGHT_SETTING_KEYS: readonly RuntimeSettingKey[] = [
  'VERSION_CAPTURE_WINDOW_SECONDS',
  'BURST_WINDOW_SECONDS',
  'PLACE_RADIUS_KM',
];
export const SCHEDULE_SETTING_KEYS: readonly RuntimeSettingKey[] = [
  'SCHEDULE_RECONCILE',
  'SCHEDULE_TRASH_PURGE',
];

/** Human text of what a setting accepts, for error messages. */
export function allowedText(input: RuntimeSettingInput): string {
  switch (input.kind) {
    case 'number':
      return `${input.integer ? 'a whole number' : 'a number'} from ${input.min} to ${input.max}${input.unit === '%' ? ' %' : ` ${input.unit}`}`;
    case 'keeper-rules':
      return `an ordered list of distinct rules from: ${input.allowed.join(', ')}`;
    case 'cron':
      return 'a 5-field cron expression, e.g. "0 3 * * *"';
  }
}
