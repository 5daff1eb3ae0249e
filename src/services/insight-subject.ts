import type { InsightAssetRow } from '../db/repositories/insight-asset.repository.js';
import type { InsightSubject } from '../domain/insights/insight-subject.js';

/** The insight analyses' view of an asset row. */
export function insightSubjectOf(a: Omit<InsightAssetRow, 'in_album'>): InsightSubject {
  return {
    id: a.id,
    path: a.path,
    kind: a.kind,
    sizeBytes: a.size_bytes,
    sha256: a.sha256,
    captureLocal: a.capture_local,
    make: a.make,
    model: a.model,
    bodySerial: a.body_serial,
    burstId: a.burst_id,
    sequenceNumber: a.sequence_number,
    contentIdentifier: a.content_identifier,
    gpsLatitude: a.gps_latitude,
    gpsLongitude: a.gps_longitude,
    width: a.width,
    height: a.height,
    phash: a.phash,
    quality: a.quality,
    problemCode: a.problem_code,
  };
}
