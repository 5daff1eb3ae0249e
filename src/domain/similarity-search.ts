import type { PairTier, SimilarityEdge } from './duplicate-clustering.js';
import { HammingIndex } from './hamming-index.js';
import { signatureFromHex } from './popcount.js';
import type { SignatureCodec } from './signature-codec.js';

/** Decides a verified pair's tier from its score and whatever else is known of the two files. */
export type ClassifyPair<T> = (a: T, b: T, score: number) => PairTier;

export interface SearchItem<S> {
  id: string;
  set: S;
}

/** Neighbours considered per picture by the two-hop expansion (bounds work on huge copy groups). */
const MAX_EXPANSION_DEGREE = 32;
/**
 * Files sharing one capture instant are compared directly only when there are at most this many: more
 * is a camera clock reset or a batch-stamped import, not copies of one picture.
 */
export const MAX_SAME_CAPTURE = 16;

/**
 * Pairs of files that carry the same capture key (camera wall clock to the millisecond): copies,
 * exports, crops and straightened edits keep the original's capture time even when their pixels moved
 * too far in Hamming space for the index to propose them. Only candidates: pixels still decide.
 */
export function sameCapturePairs<T>(items: readonly T[], keyOf: (item: T) => string | null): [T, T][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  const out: [T, T][] = [];
  for (const list of groups.values()) {
    if (list.length < 2 || list.length > MAX_SAME_CAPTURE) continue;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) out.push([list[i] as T, list[j] as T]);
  }
  return out;
}

/**
 * Verified similarity edges among pictures held in memory (the headless scan): candidates from one
 * Hamming index per signature kind, the precise verification of each unordered pair once, then a
 * two-hop expansion. Never all-pairs: the work grows with the candidates, not with n².
 */
export function findSimilarityEdges<S, T extends SearchItem<S>>(
  items: readonly T[],
  codec: SignatureCodec<S>,
  opts: {
    classify: ClassifyPair<T>;
    maxRadius: number;
    onProgress?: (done: number, total: number) => void;
    /** Capture key of a file (sameCapturePairs): files sharing one are also verified directly. */
    captureKey?: (item: T) => string | null;
  },
): SimilarityEdge[] {
  const indexes = new Map<string, HammingIndex>();
  items.forEach((item, n) => {
    for (const { index, hex } of codec.keys(item.set)) {
      let ix = indexes.get(index);
      if (!ix) indexes.set(index, (ix = new HammingIndex({ maxRadius: opts.maxRadius })));
      const sig = signatureFromHex(hex);
      ix.add(n, sig.hi, sig.lo);
    }
  });
  const verified = new Set<string>();
  const edges: SimilarityEdge[] = [];
  const check = (p: T, q: T, hint?: string) => {
    const key = p.id < q.id ? `${p.id}|${q.id}` : `${q.id}|${p.id}`;
    if (verified.has(key)) return;
    verified.add(key);
    const { score } = codec.verify(p.set, q.set, hint);
    const tier = opts.classify(p, q, score);
    if (tier !== 'different') edges.push({ a: p.id, b: q.id, score, tier });
  };
  items.forEach((q, n) => {
    // Probes need not be symmetric (a turned variant may find P from Q only): pairs are found from
    // either side and verified once, as verify(P, Q, hint) per the probe's contract.
    for (const probe of codec.probes(q.set)) {
      const sig = signatureFromHex(probe.hex);
      for (const hit of indexes.get(probe.index)?.query(sig.hi, sig.lo, probe.radius) ?? []) {
        const p = items[hit.id];
        if (p && hit.id !== n) check(p, q, probe.hint);
      }
    }
    opts.onProgress?.(n + 1, items.length);
  });
  if (opts.captureKey) for (const [p, q] of sameCapturePairs(items, opts.captureKey)) check(p, q);
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const [a, b] of twoHopPairs(edges, verified)) {
    const p = byId.get(a);
    const q = byId.get(b);
    if (p && q) check(p, q);
  }
  return edges;
}

/**
 * Pairs of pictures that share a similar neighbour but were never compared themselves. A 10 % crop
 * can be too far in Hamming space from its original yet close to the original's resized copy;
 * verifying (original, crop) directly lets the clustering keep it with its original without chaining.
 */
export function twoHopPairs(
  edges: readonly SimilarityEdge[],
  alreadyVerified: ReadonlySet<string>,
): [string, string][] {
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    if (e.tier === 'different') continue;
    for (const [x, y] of [
      [e.a, e.b],
      [e.b, e.a],
    ] as const) {
      const list = neighbours.get(x);
      if (!list) neighbours.set(x, [y]);
      else if (list.length < MAX_EXPANSION_DEGREE) list.push(y);
    }
  }
  const out = new Map<string, [string, string]>();
  for (const list of neighbours.values()) {
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as string;
        const b = list[j] as string;
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        if (!alreadyVerified.has(key) && !out.has(key)) out.set(key, [a, b]);
      }
  }
  return [...out.values()];
}
