import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { ComputedGroup, DuplicateRepository } from '../db/repositories/duplicate.repository.js';
import { groupKey } from '../domain/group-key.js';
import { rankKeepers, type KeeperRule } from '../domain/keeper-ranking.js';
import { filesHaveSameBytes } from '../fs/byte-compare.js';
import { isImmichContentHash } from '../immich/immich-asset.js';
import { keeperCandidateOf } from './keeper-candidate.js';

/**
 * Exact duplicates from the database: assets sharing a SHA-256. A group is green (safe to
 * auto-fix) only once every member was compared byte for byte with the keeper; the proof is kept
 * while the member set is unchanged, so re-analysis does not re-read the files. Immich assets
 * share Immich's SHA-1 of their originals instead, which photo-sync takes as the proof itself
 * (their bytes are not on disk here; the reasoning is in docs/IMMICH.md).
 */
export async function computeExactGroups(
  repo: DuplicateRepository,
  rules: readonly KeeperRule[],
): Promise<ComputedGroup[]> {
  const rows = await repo.exactDuplicateAssets();
  const bySha = new Map<string, AssetRow[]>();
  for (const r of rows) {
    const list = bySha.get(r.sha256 ?? '');
    if (list) list.push(r);
    else bySha.set(r.sha256 ?? '', [r]);
  }
  const proven = await repo.greenGroupKeys('exact');
  const groups: ComputedGroup[] = [];
  for (const [sha, members] of bySha) {
    if (members.length < 2) continue;
    const ranked = rankKeepers(members.map(keeperCandidateOf), rules);
    const keeper = ranked[0]?.candidate;
    if (!keeper) continue;
    const key = groupKey(
      'exact',
      members.map((m) => m.id),
    );
    let verified = proven.has(key) || isImmichContentHash(sha);
    if (!verified) {
      verified = true;
      for (const r of ranked.slice(1))
        verified &&= await filesHaveSameBytes(keeper.path, r.candidate.path).catch(() => false);
    }
    groups.push({
      kind: 'exact',
      groupKey: key,
      keeperAssetId: keeper.id,
      bytesReclaimable: keeper.sizeBytes * (members.length - 1),
      minSimilarity: 1,
      confidence: verified ? 'green' : 'yellow',
      newestAt: new Date(Math.max(...members.map((m) => m.sort_at.getTime()))),
      members: ranked.map((r, i) => ({
        assetId: r.candidate.id,
        rank: i,
        similarity: 1,
        isKeeper: i === 0,
        keeperReason: r.decidedBy,
      })),
    });
  }
  return groups;
}
