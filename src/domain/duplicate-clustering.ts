/**
 * Grouping of near-duplicate candidates without chaining.
 *
 * Single-linkage (connected components) chains: A≈B and B≈C put A and C together even when A≉C,
 * and in a large library one such chain can swallow hundreds of unrelated photos. We use star
 * clustering around keepers instead: within each connected component, candidates are ordered by the
 * keeper rules; the best unassigned one becomes a group's keeper and takes every unassigned
 * neighbour that is directly similar *to it*. Every member therefore carries its own similarity to
 * its keeper, and A and C end up together only if both are similar to the same keeper.
 */

export type PairTier = 'duplicate' | 'similar' | 'different';

export interface SimilarityEdge {
  a: string;
  b: string;
  /** 0..1, symmetric. */
  score: number;
  /** The verified tier; when absent, the score alone decides against the thresholds. */
  tier?: PairTier;
}

export interface ClusterMember {
  id: string;
  /** Similarity to the keeper (1 for the keeper itself). */
  score: number;
}

export interface Cluster {
  keeperId: string;
  members: ClusterMember[];
}

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Connected components of the graph, each a list of node ids (deterministic order). */
export function connectedComponents(edges: readonly SimilarityEdge[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur) as string;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  for (const e of edges) {
    if (!parent.has(e.a)) parent.set(e.a, e.a);
    if (!parent.has(e.b)) parent.set(e.b, e.b);
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of [...parent.keys()].sort()) {
    const r = find(id);
    const list = groups.get(r);
    if (list) list.push(id);
    else groups.set(r, [id]);
  }
  return [...groups.values()];
}

/**
 * Star clusters over the edges with `score >= minScore` that are not in `excluded` (pairs the user
 * marked "not a duplicate"). `rank` orders a component's ids best-keeper-first.
 *
 * Keepers are chosen in rank order: a picture becomes a keeper unless it is linked to a keeper
 * chosen before it. Every other picture then joins the keeper it is most similar to — so a copy of
 * one of two near-identical frames joins its own frame, not whichever frame ranks first.
 */
export function clusterAroundKeepers(
  edges: readonly SimilarityEdge[],
  rank: (ids: readonly string[]) => string[],
  opts: { minScore: number; excluded?: ReadonlySet<string> },
): Cluster[] {
  const kept = edges.filter(
    (e) => e.score >= opts.minScore && e.a !== e.b && !opts.excluded?.has(pairKey(e.a, e.b)),
  );
  const neighbours = new Map<string, Map<string, number>>();
  const link = (x: string, y: string, s: number) => {
    let m = neighbours.get(x);
    if (!m) neighbours.set(x, (m = new Map<string, number>()));
    m.set(y, Math.max(s, m.get(y) ?? 0));
  };
  for (const e of kept) {
    link(e.a, e.b, e.score);
    link(e.b, e.a, e.score);
  }

  const clusters: Cluster[] = [];
  for (const component of connectedComponents(kept)) {
    const keepers: string[] = [];
    const others: string[] = [];
    for (const id of rank(component)) {
      const near = neighbours.get(id);
      (keepers.some((k) => near?.has(k)) ? others : keepers).push(id);
    }
    const members = new Map<string, ClusterMember[]>(keepers.map((k) => [k, [{ id: k, score: 1 }]]));
    for (const id of others) {
      let best: string | null = null;
      let bestScore = -1;
      for (const k of keepers) {
        const s = neighbours.get(id)?.get(k);
        if (s !== undefined && s > bestScore) {
          best = k;
          bestScore = s;
        }
      }
      if (best) members.get(best)?.push({ id, score: bestScore });
    }
    for (const k of keepers) {
      const list = members.get(k) ?? [];
      if (list.length < 2) continue;
      const [keeper, ...rest] = list as [ClusterMember, ...ClusterMember[]];
      rest.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
      clusters.push({ keeperId: k, members: [keeper, ...rest] });
    }
  }
  return clusters;
}
