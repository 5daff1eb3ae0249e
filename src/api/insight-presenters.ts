import type { BurstDetail } from '../services/burst.service.js';
import type { ImportBatchRow } from '../db/repositories/import-batch.repository.js';
import type { AlbumRow } from '../db/repositories/suggestion.repository.js';
import type { ListedSuggestion } from '../services/suggestion.service.js';
import type { TriageItems } from '../services/triage.service.js';
import type { VersionStackDetail } from '../services/version.service.js';
import { presentAsset, presentDuplicateGroup } from './presenters.js';

/** JSON shapes of the triage and insight routes (docs/INSIGHTS.md, /work contract "Triage and insights"). */

export function presentVersionStack(d: VersionStackDetail) {
  const primary = d.stack.primary_asset_id;
  const members = [...d.members].sort(
    (a, b) => Number(b.id === primary) - Number(a.id === primary) || a.path.localeCompare(b.path),
  );
  return {
    id: d.stack.id,
    libraryId: d.stack.library_id,
    primaryAssetId: primary,
    autoPrimaryAssetId: d.stack.auto_primary_asset_id,
    primaryOverridden: primary !== d.stack.auto_primary_asset_id,
    reasons: d.stack.reasons,
    memberCount: d.stack.member_count,
    members: members.map((m) => ({ asset: presentAsset(m), isPrimary: m.id === primary })),
  };
}

export function presentBurst(d: BurstDetail) {
  return {
    id: d.burst.id,
    libraryId: d.burst.library_id,
    status: d.burst.status,
    cameraBurstId: d.burst.camera_burst_id,
    recommendedAssetId: d.burst.recommended_asset_id,
    frameCount: d.burst.frame_count,
    bytesReclaimable: d.burst.bytes_reclaimable,
    firstAt: d.burst.first_at.toISOString(),
    decidedAt: d.burst.decided_at?.toISOString() ?? null,
    frames: d.frames.map((f) => ({
      asset: presentAsset(f),
      position: f.position,
      score: f.score,
      recommended: f.id === d.burst.recommended_asset_id,
    })),
  };
}

export function presentSuggestion(s: ListedSuggestion) {
  return {
    id: s.id,
    libraryId: s.library_id,
    kind: s.kind,
    name: s.name,
    status: s.accepted_album_id ? 'accepted' : 'open',
    startsAt: s.starts_at?.toISOString() ?? null,
    endsAt: s.ends_at?.toISOString() ?? null,
    centre:
      s.latitude !== null && s.longitude !== null ? { latitude: s.latitude, longitude: s.longitude } : null,
    assetCount: s.asset_count,
    assetIds: s.assetIds,
    albumId: s.accepted_album_id,
  };
}

export function presentAlbum(a: AlbumRow & { asset_count?: string | number | null }, assetIds?: string[]) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    source: a.source,
    createdAt: a.created_at.toISOString(),
    assetCount: assetIds ? assetIds.length : Number(a.asset_count ?? 0),
    ...(assetIds ? { assetIds } : {}),
  };
}

export function presentBatch(b: ImportBatchRow) {
  return {
    id: b.id,
    libraryId: b.library_id,
    jobId: b.job_id,
    assetCount: b.asset_count,
    createdAt: b.created_at.toISOString(),
  };
}

export function presentTriageItems(r: TriageItems): unknown[] {
  switch (r.category) {
    case 'exact-duplicates':
    case 'near-duplicates':
      return r.items.map(presentDuplicateGroup);
    case 'low-quality':
      return r.items.map(presentAsset);
    case 'bursts':
      return r.items.map(presentBurst);
    case 'versions':
      return r.items.map(presentVersionStack);
    case 'unorganised':
      return r.items.map(presentSuggestion);
  }
}
