import type { KeeperCandidate } from '../domain/keeper-ranking.js';
import type { MediaAnalysis } from '../media/media-analysis.js';

/** The keeper rules' view of a file analysed by the headless scan (id = absolute path). */
export function candidateOf(
  f: { path: string; sizeBytes: number; mtimeMs: number },
  a: MediaAnalysis,
): KeeperCandidate {
  const m = a.metadata;
  const fields = [
    m.capturedAt,
    m.make ?? m.model,
    m.gpsLatitude,
    m.lens,
    m.exposureTime,
    m.iso,
    m.rating,
    m.description,
  ];
  return {
    id: f.path,
    path: f.path,
    kind: a.kind,
    sizeBytes: f.sizeBytes,
    mtimeMs: f.mtimeMs,
    width: m.width,
    height: m.height,
    capturedAtMs: m.capturedAt?.getTime() ?? null,
    sharpness: a.quality?.laplacianVariance ?? null,
    metadataFields: fields.filter((v) => v !== null).length,
    inAlbum: false,
    cameraOriginal: (m.make ?? m.model) != null && m.capturedAt != null,
  };
}
