import type { InsightSettings } from '../domain/insights/analyse-insights.js';
import { DEFAULT_BURST_SETTINGS } from '../domain/insights/burst-detection.js';
import { DEFAULT_EVENT_SETTINGS } from '../domain/insights/event-segmentation.js';
import { DEFAULT_PLACE_SETTINGS } from '../domain/insights/place-clustering.js';
import { DEFAULT_VERSION_SETTINGS } from '../domain/insights/version-stacking.js';

export type { InsightSettings };

/** The insight settings from the validated configuration values (defaults for the rest). */
export function insightSettingsFrom(v: {
  captureWindowSeconds: number;
  editPatterns: readonly string[];
  primaryOrder: readonly string[];
  burstWindowSeconds: number;
  placeRadiusKm: number;
}): InsightSettings {
  return Object.freeze({
    versions: {
      ...DEFAULT_VERSION_SETTINGS,
      captureWindowMs: Math.round(v.captureWindowSeconds * 1000),
      editPatterns: v.editPatterns.map((p) => new RegExp(p, 'i')),
      primaryOrder: [...v.primaryOrder],
    },
    bursts: { ...DEFAULT_BURST_SETTINGS, maxGapMs: Math.round(v.burstWindowSeconds * 1000) },
    events: DEFAULT_EVENT_SETTINGS,
    places: { ...DEFAULT_PLACE_SETTINGS, epsKm: v.placeRadiusKm },
  });
}
