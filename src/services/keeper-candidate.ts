import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { KeeperCandidate } from '../domain/keeper-ranking.js';

/**
 * The keeper rules' view of an asset row. `in_album` (selected by the duplicate repository) says
 * whether the asset belongs to an album; rows read without it count as not in one.
 */
export function keeperCandidateOf(a: AssetRow & { in_album?: boolean }): KeeperCandidate {
  const descriptive = [
    a.captured_at,
    a.make ?? a.model,
    a.gps_latitude,
    a.lens,
    a.exposure_time,
    a.iso,
    a.rating,
    a.description,
    a.body_serial,
  ] as unknown[];
  return {
    id: a.id,
    path: a.path,
    kind: a.kind,
    sizeBytes: a.size_bytes,
    mtimeMs: a.mtime_ms,
    width: a.width,
    height: a.height,
    capturedAtMs: a.captured_at?.getTime() ?? null,
    sharpness: a.quality?.laplacianVariance ?? null,
    metadataFields: descriptive.filter((v) => v != null).length,
    inAlbum: a.in_album === true,
    cameraOriginal: (a.make ?? a.model) != null && a.captured_at != null,
  };
}
