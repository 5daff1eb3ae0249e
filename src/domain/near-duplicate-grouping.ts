import { clusterAroundKeepers, type Cluster, type SimilarityEdge } from './duplicate-clustering.js';

export interface TierThresholds {
  duplicate: number;
  similar: number;
}

export interface TieredClusters {
  /** The same picture: removing all but the keeper loses nothing. */
  duplicates: Cluster[];
  /** Different shots of one moment: for stacking or best-shot picking, never bulk deletion. */
  similar: Cluster[];
}

/**
 * The two tiers, never mixed: duplicates are star-clustered first on edges at or above the
 * duplicate threshold; similar groups are built from the remaining edges among pictures that are not
 * already a non-keeper of a duplicate group — so no file is offered both ways.
 */
export function groupIntoTiers(
  edges: readonly SimilarityEdge[],
  rank: (ids: readonly string[]) => string[],
  thresholds: TierThresholds,
  excluded?: ReadonlySet<string>,
): TieredClusters {
  const opts = (minScore: number) => (excluded ? { minScore, excluded } : { minScore });
  const tierOf = (e: SimilarityEdge) =>
    e.tier ??
    (e.score >= thresholds.duplicate ? 'duplicate' : e.score >= thresholds.similar ? 'similar' : 'different');
  const duplicates = clusterAroundKeepers(
    edges.filter((e) => tierOf(e) === 'duplicate'),
    rank,
    opts(thresholds.duplicate),
  );
  const absorbed = new Set(duplicates.flatMap((c) => c.members.slice(1).map((m) => m.id)));
  const similar = clusterAroundKeepers(
    edges.filter((e) => tierOf(e) === 'similar' && !absorbed.has(e.a) && !absorbed.has(e.b)),
    rank,
    opts(thresholds.similar),
  );
  return { duplicates, similar };
}
