import type { QualityMetrics } from '../quality-metrics.js';

/**
 * Quality score 0–100 and labels from the measurements taken at ingest (normalised 512 px long
 * edge, see domain/quality-measure.ts). Thresholds were calibrated on the real-photo corpus's
 * labelled low-quality files and are documented in docs/INSIGHTS.md.
 */

export type QualityLabel = 'very blurry' | 'too dark' | 'overexposed' | 'corrupted';

export const QUALITY_THRESHOLDS = {
  /** Laplacian variance below this is "very blurry" (corpus: blurred ≤ 11, sharpest-looking normal photo ≥ 17). */
  blurryLaplacianVariance: 14,
  /** Mean luminance below this is "too dark" (corpus: dark ≤ 10.4, darkest normal photo 17.3). */
  darkMeanLuminance: 14,
  /** Share of clipped highlights at or above this is "overexposed" (corpus: normal photos ≤ 0.14). */
  overexposedClippedHighlights: 0.25,
  /** Mean luminance at or above this is "overexposed" whatever the clipping. */
  overexposedMeanLuminance: 235,
  /** The score of a labelled picture never exceeds this, so "score ≤ 30" selects every flagged one. */
  flaggedScoreCeiling: 30,
} as const;

export interface QualityAssessment {
  /** 0 (unusable) … 100 (sharp and well exposed). */
  score: number;
  labels: QualityLabel[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** 0 at `low`, 1 at `high`, on a log scale (Laplacian variance spans orders of magnitude). */
const logRamp = (x: number, low: number, high: number) =>
  clamp01((Math.log10(Math.max(x, 1e-6)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)));

/** Sharpness 0..1: variance 5 or less is 0, 500 or more is 1. */
export function sharpnessComponent(q: QualityMetrics): number {
  return logRamp(q.laplacianVariance, 5, 500);
}

/** Exposure 0..1: penalises a dark or bright mean and clipped shadows/highlights. */
export function exposureComponent(q: QualityMetrics): number {
  const dark = clamp01((q.meanLuminance - 5) / 55);
  const bright = clamp01((250 - q.meanLuminance) / 60);
  const highlights = 1 - clamp01((q.clippedHighlights - 0.02) / 0.28);
  const shadows = 1 - clamp01((q.clippedShadows - 0.1) / 0.5);
  return Math.min(dark, bright, highlights, shadows);
}

/**
 * Integrity first: a truncated or undecodable file (or one ingest reported as corrupted) scores 0.
 * The blur label needs a usable exposure: in a nearly black frame the Laplacian says nothing.
 */
export function assessQuality(
  q: QualityMetrics | null,
  problemCode: string | null,
): QualityAssessment | null {
  if (problemCode === 'corrupted' || (q && q.integrity !== 'ok')) return { score: 0, labels: ['corrupted'] };
  if (!q) return null;
  const t = QUALITY_THRESHOLDS;
  const labels: QualityLabel[] = [];
  const dark = q.meanLuminance < t.darkMeanLuminance;
  const over =
    q.clippedHighlights >= t.overexposedClippedHighlights || q.meanLuminance >= t.overexposedMeanLuminance;
  if (!dark && !over && q.laplacianVariance < t.blurryLaplacianVariance) labels.push('very blurry');
  if (dark) labels.push('too dark');
  if (over) labels.push('overexposed');
  let score = Math.round(100 * (0.6 * sharpnessComponent(q) + 0.4 * exposureComponent(q)));
  if (labels.length > 0) score = Math.min(score, t.flaggedScoreCeiling);
  return { score, labels };
}
