import type { SimilarityEdge } from './duplicate-clustering.js';
import { HammingIndex } from './hamming-index.js';
import { signatureFromHex } from './popcount.js';
import type { SignatureCodec } from './signature-codec.js';

/**
 * Verified similarity edges among a set of pictures held in memory (the headless scan): candidates
 * from the Hamming indexes, then the precise verification of each unordered pair once. Never
 * all-pairs: the work grows with the number of candidates, not with n².
 */
export function findSimilarityEdges<S>(
  items: readonly { id: string; set: S }[],
  codec: SignatureCodec<S>,
  opts: { minScore: number; maxRadius: number; onProgress?: (done: number, total: number) => void },
): (SimilarityEdge & { transform: string })[] {
  const indexes = new Map<string, HammingIndex>();
  items.forEach((item, n) => {
    for (const { index, hex } of codec.keys(item.set)) {
      let ix = indexes.get(index);
      if (!ix) indexes.set(index, (ix = new HammingIndex({ maxRadius: opts.maxRadius })));
      const sig = signatureFromHex(hex);
      ix.add(n, sig.hi, sig.lo);
    }
  });
  const edges: (SimilarityEdge & { transform: string })[] = [];
  // Probes need not be symmetric (a rotated variant may find B from A only), so a pair can be
  // found from either side; each unordered pair is verified once.
  const verified = new Set<number>();
  const n2 = items.length;
  items.forEach((item, n) => {
    const candidates = new Set<number>();
    for (const probe of codec.probes(item.set)) {
      const sig = signatureFromHex(probe.hex);
      for (const hit of indexes.get(probe.index)?.query(sig.hi, sig.lo, probe.radius) ?? []) {
        if (hit.id === n) continue;
        const key = Math.min(n, hit.id) * n2 + Math.max(n, hit.id);
        if (verified.has(key)) continue;
        verified.add(key);
        candidates.add(hit.id);
      }
    }
    for (const m of candidates) {
      const other = items[m];
      if (!other) continue;
      const v = codec.verify(item.set, other.set);
      if (v.score >= opts.minScore)
        edges.push({ a: item.id, b: other.id, score: v.score, transform: v.transform });
    }
    opts.onProgress?.(n + 1, items.length);
  });
  return edges;
}
