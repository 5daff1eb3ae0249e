import type { QualityMetrics } from '../quality-metrics.js';

/**
 * What the insight analyses (versions, bursts, quality, events, places) know about one file: plain
 * data, built from a database row on the server and from a file analysis in the headless scan.
 */
export interface InsightSubject {
  id: string;
  /** Absolute path; folder and base name drive version stacking and bursts. */
  path: string;
  kind: string | null;
  sizeBytes: number;
  sha256: string | null;
  /** Camera wall-clock time `YYYY-MM-DDTHH:mm:ss.SSS` (sub-seconds kept), with or without a known offset. */
  captureLocal: string | null;
  make: string | null;
  model: string | null;
  bodySerial: string | null;
  burstId: string | null;
  sequenceNumber: number | null;
  contentIdentifier: string | null;
  gpsLatitude: number | null;
  gpsLongitude: number | null;
  width: number | null;
  height: number | null;
  /** 16 hex chars (64-bit DCT pHash) or null. */
  phash: string | null;
  quality: QualityMetrics | null;
  /** `corrupted`, `unsupported`, … when the file could not be fully processed. */
  problemCode: string | null;
}
