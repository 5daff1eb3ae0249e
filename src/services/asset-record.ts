import type { AssetStatus } from '../db/schema.js';
import type { AssetUpdate } from '../db/repositories/asset.repository.js';
import type { MediaAnalysis } from '../media/media-analysis.js';

/**
 * Whether an analysed file is an asset the user works with. Corrupted pictures and videos waiting
 * for ffmpeg are real assets (they show up with their problem); files we cannot recognise or that
 * are empty failed, and are tried again on the next scan.
 */
export function statusAfterAnalysis(analysis: MediaAnalysis): AssetStatus {
  const code = analysis.problem?.code;
  return code === 'unsupported' || code === 'empty' ? 'failed' : 'ready';
}

/** The database columns for what ingest learned about a file. */
export function assetRecordFrom(
  analysis: MediaAnalysis,
  mtimeMs: number,
  hasThumbnail: boolean,
): AssetUpdate {
  const m = analysis.metadata;
  return {
    status: statusAfterAnalysis(analysis),
    kind: analysis.kind,
    mime: analysis.mime,
    sha256: analysis.sha256,
    size_bytes: analysis.bytes,
    problem_code: analysis.problem?.code ?? null,
    problem_message: analysis.problem?.message ?? null,
    sort_at: m.capturedAt ?? new Date(mtimeMs),
    captured_at: m.capturedAt,
    capture_local: m.captureLocal,
    capture_offset_minutes: m.captureOffsetMinutes,
    make: m.make,
    model: m.model,
    body_serial: m.bodySerial,
    lens: m.lens,
    exposure_time: m.exposureTime,
    f_number: m.fNumber,
    iso: m.iso,
    focal_length: m.focalLength,
    burst_id: m.burstId,
    sequence_number: m.sequenceNumber,
    content_identifier: m.contentIdentifier,
    gps_latitude: m.gpsLatitude,
    gps_longitude: m.gpsLongitude,
    gps_altitude: m.gpsAltitude,
    orientation: m.orientation,
    width: m.width,
    height: m.height,
    rating: m.rating,
    description: m.description,
    duration_seconds: m.durationSeconds,
    phash: analysis.phash,
    signatures: analysis.signatures,
    quality: analysis.quality ? JSON.stringify(analysis.quality) : null,
    has_thumbnail: hasThumbnail,
    ingested_at: new Date(),
  };
}
