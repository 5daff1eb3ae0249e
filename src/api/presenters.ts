import type { ImmichWriteJob, ImmichWriteRow } from '../db/repositories/immich.repository.js';
import path from 'node:path';
import { z } from 'zod';
import type { AssetListRow, AssetRow } from '../db/repositories/asset.repository.js';
import type { DuplicateGroupRow } from '../db/repositories/duplicate.repository.js';
import type { GridRow } from '../db/repositories/timeline.repository.js';
import { similarityShare } from '../domain/near-duplicate-codec.js';
import { cameraLabel } from '../domain/camera-label.js';
import { isoOfEpochMs } from './iso-instant.js';
import type { DuplicateGroupDetail } from '../services/duplicate.service.js';
import type { JobRow } from '../db/repositories/job.repository.js';
import type { LibraryRow, LibraryShareRow } from '../db/repositories/library.repository.js';
import type { UserRow } from '../db/repositories/user.repository.js';
import type { ActionItemRow } from '../db/repositories/action.repository.js';
import type { AuditRow } from '../db/repositories/audit.repository.js';
import type { TrashItemRow } from '../db/repositories/trash.repository.js';
import type { ApiKeyRow } from '../db/repositories/credential.repository.js';

/**
 * JSON shapes of the API, camelCase, with nothing internal (no inode, no attempt counters). The
 * list shapes write their instants with `isoOfEpochMs` (a page holds hundreds of them).
 */

export function presentAsset(a: AssetListRow) {
  return {
    id: a.id,
    libraryId: a.library_id,
    path: a.path,
    status: a.status,
    kind: a.kind,
    mime: a.mime,
    sizeBytes: a.size_bytes,
    sha256: a.sha256,
    problem: a.problem_code ? { code: a.problem_code, message: a.problem_message ?? '' } : null,
    capturedAt: a.captured_at ? isoOfEpochMs(a.captured_at.getTime()) : null,
    captureLocal: a.capture_local,
    captureOffsetMinutes: a.capture_offset_minutes,
    fileModifiedAt: isoOfEpochMs(a.mtime_ms),
    camera: {
      make: a.make,
      model: a.model,
      bodySerial: a.body_serial,
      lens: a.lens,
    },
    exposure: {
      exposureTime: a.exposure_time,
      fNumber: a.f_number,
      iso: a.iso,
      focalLength: a.focal_length,
    },
    burstId: a.burst_id,
    sequenceNumber: a.sequence_number,
    contentIdentifier: a.content_identifier,
    gps:
      a.gps_latitude !== null && a.gps_longitude !== null
        ? { latitude: a.gps_latitude, longitude: a.gps_longitude, altitude: a.gps_altitude }
        : null,
    orientation: a.orientation,
    width: a.width,
    height: a.height,
    rating: a.rating,
    description: a.description,
    durationSeconds: a.duration_seconds,
    phash: a.phash,
    quality: a.quality,
    qualityScore: a.quality_score,
    qualityLabels: a.quality_labels,
    qualityFlags: a.quality_flags,
    importBatchId: a.import_batch_id,
    hasThumbnail: a.has_thumbnail,
    thumbnailUrl: a.has_thumbnail ? `/api/assets/${a.id}/thumbnail` : null,
    ingestedAt: a.ingested_at ? isoOfEpochMs(a.ingested_at.getTime()) : null,
  };
}

/** A card of the timeline grid (GET /api/timeline/assets), documented in the OpenAPI document. */
export const gridAssetSchema = z.object({
  id: z.uuid(),
  takenAt: z.iso.datetime().describe('Capture time, else the file modification time: the sort key'),
  fileName: z.string(),
  kind: z.string().nullable(),
  width: z.number().int().nullable().describe('Upright (EXIF orientation applied)'),
  height: z.number().int().nullable(),
  burstId: z.string().nullable(),
  hasThumbnail: z.boolean().describe('GET /api/assets/:id/thumbnail has a picture'),
});

/**
 * What the grid draws and groups by, no more; the viewer asks for the whole asset
 * (GET /api/assets/:id) when it opens one. Typed by the schema, so the two cannot drift apart.
 */
export function presentGridAsset(a: GridRow): z.infer<typeof gridAssetSchema> {
  return {
    id: a.id,
    takenAt: isoOfEpochMs(a.sort_ms),
    fileName: path.basename(a.path),
    kind: a.kind,
    width: a.width,
    height: a.height,
    burstId: a.burst_id,
    hasThumbnail: a.has_thumbnail,
  };
}

export function presentJob(j: JobRow) {
  return {
    id: j.id,
    type: j.type,
    libraryId: j.library_id,
    status: j.status,
    progress: { total: j.total, done: j.done, failed: j.failed },
    error: j.error,
    attempts: j.attempts,
    createdAt: j.created_at.toISOString(),
    startedAt: j.started_at?.toISOString() ?? null,
    finishedAt: j.finished_at?.toISOString() ?? null,
  };
}

export function presentLibrary(l: LibraryRow & { role: 'owner' | 'editor' | 'viewer' }) {
  return {
    id: l.id,
    name: l.name,
    roots: l.roots,
    readOnly: l.read_only,
    ownerId: l.owner_id,
    /** The caller's role: what the UI may offer (the server enforces it anyway). */
    role: l.role,
    createdAt: l.created_at.toISOString(),
    lastScanAt: l.last_scan_at?.toISOString() ?? null,
    /** Days its trash keeps a file before purge; null = the server's TRASH_RETENTION_DAYS. */
    trashRetentionDays: l.trash_retention_days,
    kind: l.kind,
    /** Where an Immich library lives; its API key is never presented. */
    immich:
      l.kind === 'immich'
        ? {
            url: l.immich_url ?? '',
            version: l.immich_version,
            syncedUntil: l.immich_synced_until?.toISOString() ?? null,
          }
        : null,
  };
}

export function presentDuplicateGroup(
  g: DuplicateGroupRow & { keeper_kind?: string | null; keeper_has_thumbnail?: boolean | null },
) {
  return {
    id: g.id,
    kind: g.kind,
    status: g.status,
    confidence: g.confidence,
    memberCount: g.member_count,
    bytesReclaimable: g.bytes_reclaimable,
    minSimilarity: similarityShare(g.min_similarity),
    keeperAssetId: g.keeper_asset_id,
    /** Null when the keeper has no thumbnail (a video read without ffmpeg). */
    keeperThumbnailUrl:
      g.keeper_has_thumbnail === false ? null : `/api/assets/${g.keeper_asset_id}/thumbnail`,
    keeperKind: g.keeper_kind ?? null,
    newestAt: g.newest_at.toISOString(),
    decidedAt: g.decided_at?.toISOString() ?? null,
  };
}

/** The fields a reviewer compares; `differs` says which ones are not the same for every member. */
const comparedFields = {
  resolution: (m: AssetRow) => (m.width && m.height ? `${m.width}×${m.height}` : null),
  sizeBytes: (m: AssetRow) => m.size_bytes,
  format: (m: AssetRow) => m.kind,
  capturedAt: (m: AssetRow) => m.captured_at?.toISOString() ?? null,
  camera: (m: AssetRow) => cameraLabel(m.make, m.model),
  folder: (m: AssetRow) => path.dirname(m.path),
  quality: (m: AssetRow) => (m.quality ? Math.round(m.quality.laplacianVariance) : null),
} as const;

type ComparedField = keyof typeof comparedFields;

export function presentDuplicateDetail(d: DuplicateGroupDetail) {
  const differs = Object.fromEntries(
    (Object.keys(comparedFields) as ComparedField[]).map((f) => [
      f,
      new Set(d.members.map((m) => JSON.stringify(comparedFields[f](m)))).size > 1,
    ]),
  ) as Record<ComparedField, boolean>;
  return {
    ...presentDuplicateGroup(d.group),
    differs,
    members: d.members.map((m) => ({
      asset: presentAsset(m),
      rank: m.rank,
      similarity: similarityShare(m.similarity),
      isKeeper: m.is_keeper,
      keeperReason: m.keeper_reason,
      compared: Object.fromEntries(
        (Object.keys(comparedFields) as ComparedField[]).map((f) => [f, comparedFields[f](m)]),
      ) as { [F in ComparedField]: ReturnType<(typeof comparedFields)[F]> },
    })),
  };
}

export function presentUser(u: UserRow) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.created_at.toISOString() };
}

export function presentApiKey(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at?.toISOString() ?? null,
  };
}

export function presentShare(s: LibraryShareRow) {
  return {
    userId: s.user_id,
    email: s.email,
    name: s.name,
    role: s.role,
    createdAt: s.created_at.toISOString(),
  };
}

export function presentActionItem(i: ActionItemRow) {
  return {
    id: i.id,
    kind: i.kind,
    assetId: i.asset_id,
    keepAssetIds: i.keeper_asset_ids,
    source: i.source,
    sourceId: i.source_id,
    status: i.status,
    error: i.error,
    finishedAt: i.finished_at?.toISOString() ?? null,
  };
}

export function presentJobDetail(d: { job: JobRow; results: ActionItemRow[] | null }) {
  return { ...presentJob(d.job), results: d.results?.map(presentActionItem) ?? null };
}

export function presentTrashItem(t: TrashItemRow) {
  return {
    id: t.id,
    assetId: t.asset_id,
    libraryId: t.library_id,
    originalPath: t.original_path,
    trashedAt: t.trashed_at.toISOString(),
    sizeBytes: t.size_bytes,
    thumbnailUrl: `/api/assets/${t.asset_id}/thumbnail`,
  };
}

export function presentAuditEntry(a: AuditRow) {
  return {
    id: a.id,
    at: a.at.toISOString(),
    userId: a.user_id,
    userEmail: a.user_email,
    action: a.action,
    target: a.target,
    ip: a.ip,
    details: a.details,
  };
}

/** A write job of an Immich library: what it wrote and how many items ended how. */
export function presentImmichWriteJob(j: ImmichWriteJob) {
  return { jobId: j.jobId, createdAt: j.createdAt.toISOString(), kinds: j.kinds, statuses: j.statuses };
}

export function presentImmichWrite(w: ImmichWriteRow) {
  return {
    id: w.id,
    kind: w.kind,
    subjectId: w.subject_id,
    name: w.name,
    assetIds: w.asset_ids,
    immichId: w.immich_id,
    status: w.status,
    error: w.error,
    finishedAt: w.finished_at?.toISOString() ?? null,
  };
}
