import type { KeeperRule } from '../domain/keeper-ranking.js';
import type { InsightSettings } from './insight-settings.js';

/**
 * The settings an administrator may change while the app runs, in the units of their environment
 * variables (percent, seconds, days, cron). The environment gives the defaults; stored values in
 * the `settings` table override them (services/settings.service.ts).
 */
export interface RuntimeSettingValues {
  DUPLICATE_THRESHOLD: number;
  SIMILAR_THRESHOLD: number;
  EXACT_KEEPER_RULES: readonly KeeperRule[];
  NEAR_KEEPER_RULES: readonly KeeperRule[];
  SCHEDULE_RECONCILE: string;
  SCHEDULE_TRASH_PURGE: string;
  TRASH_RETENTION_DAYS: number;
  VERSION_CAPTURE_WINDOW_SECONDS: number;
  BURST_WINDOW_SECONDS: number;
  PLACE_RADIUS_KM: number;
}

export type RuntimeSettingKey = keyof RuntimeSettingValues;

/** What the services read, in the units they compute with; `Config` carries the environment's. */
export interface RuntimeSettings {
  /** 0..1 */
  readonly duplicateThreshold: number;
  /** 0..1, never above duplicateThreshold. */
  readonly similarThreshold: number;
  readonly keeperRules: { readonly exact: readonly KeeperRule[]; readonly near: readonly KeeperRule[] };
  /** Versions, bursts, events and places (docs/INSIGHTS.md). */
  readonly insights: InsightSettings;
  readonly schedules: { readonly reconcile: string; readonly trashPurge: string };
  readonly trashRetentionDays: number;
}

/**
 * Settings in service units from setting values. `insights` supplies what is not a runtime
 * setting (edit patterns, primary order, event and place parameters).
 */
export function runtimeSettingsFrom(v: RuntimeSettingValues, insights: InsightSettings): RuntimeSettings {
  return Object.freeze({
    duplicateThreshold: v.DUPLICATE_THRESHOLD / 100,
    similarThreshold: Math.min(v.SIMILAR_THRESHOLD, v.DUPLICATE_THRESHOLD) / 100,
    keeperRules: Object.freeze({
      exact: Object.freeze([...v.EXACT_KEEPER_RULES]),
      near: Object.freeze([...v.NEAR_KEEPER_RULES]),
    }),
    insights: Object.freeze({
      ...insights,
      versions: {
        ...insights.versions,
        captureWindowMs: Math.round(v.VERSION_CAPTURE_WINDOW_SECONDS * 1000),
      },
      bursts: { ...insights.bursts, maxGapMs: Math.round(v.BURST_WINDOW_SECONDS * 1000) },
      places: { ...insights.places, epsKm: v.PLACE_RADIUS_KM },
    }),
    schedules: Object.freeze({ reconcile: v.SCHEDULE_RECONCILE, trashPurge: v.SCHEDULE_TRASH_PURGE }),
    trashRetentionDays: v.TRASH_RETENTION_DAYS,
  });
}
