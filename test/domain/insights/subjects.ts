import type { InsightSubject } from '../../../src/domain/insights/insight-subject.js';
import type { QualityMetrics } from '../../../src/domain/quality-metrics.js';

/** A well-exposed, sharp picture's measurements; override what a test is about. */
export const goodQuality = (over: Partial<QualityMetrics> = {}): QualityMetrics => ({
  laplacianVariance: 300,
  meanLuminance: 120,
  clippedShadows: 0.01,
  clippedHighlights: 0.01,
  integrity: 'ok',
  focusDetail: 120,
  medianDetail: 30,
  lumaP1: 8,
  lumaP99: 235,
  lumaP999: 246,
  ...over,
});

let n = 0;

/** An insight subject with camera-like defaults (id = path unless given). */
export function subject(path: string, over: Partial<InsightSubject> = {}): InsightSubject {
  n++;
  return {
    id: over.id ?? path,
    path,
    kind: 'jpeg',
    sizeBytes: 1_000_000,
    sha256: `sha-${n}`,
    captureLocal: '2024-06-03T10:00:00.000',
    make: 'Canon',
    model: 'EOS R6',
    bodySerial: null,
    burstId: null,
    sequenceNumber: null,
    contentIdentifier: null,
    gpsLatitude: null,
    gpsLongitude: null,
    width: 4000,
    height: 3000,
    phash: 'f0f0f0f0f0f0f0f0',
    quality: goodQuality(),
    problemCode: null,
    ...over,
  };
}

/** Wall clock `seconds` after 2024-06-03 10:00:00.000. */
export function at(seconds: number, base = Date.UTC(2024, 5, 3, 10, 0, 0)): string {
  return new Date(base + Math.round(seconds * 1000)).toISOString().slice(0, 23);
}

export const NOW = Date.UTC(2026, 10, 24);
