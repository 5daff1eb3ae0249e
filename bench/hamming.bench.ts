/**
 * npm run bench:hamming -- [--n 1000000] [--planted 10000] [--brute 100000] [--radii 4,8,12] [--seed 1]
 *
 * All-pairs near-duplicate search with HammingIndex over n signatures: uniformly random 64-bit values plus
 * `planted` pairs (a random base and a copy with 0..12 distinct bits flipped, uniformly), at each radius.
 * Prints build time, search time, pairs found, recall of the planted pairs within the radius and peak RSS.
 * The O(n²) baseline is *measured* on the first `brute` signatures in the same run and checked against the
 * index on that subset; its 1M-equivalent time is *extrapolated* as (n / brute)². Timings are reported,
 * never asserted.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { bruteForceAllPairs, HammingIndex, popcount64 } from '../src/domain/hamming-index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    planted: { type: 'string', default: '10000' },
    brute: { type: 'string', default: '100000' },
    radii: { type: 'string', default: '4,8,12' },
    seed: { type: 'string', default: '1' },
  },
});
const n = Number(values.n);
const planted = Math.min(Number(values.planted), Math.floor(n / 2));
const bruteN = Math.min(Number(values.brute), n);
const radii = values.radii.split(',').map(Number);
const MAX_PLANTED_DISTANCE = 12;

/** xorshift32: deterministic, fast enough for millions of draws. */
let state = Number(values.seed) >>> 0 || 1;
function nextUint32(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}

// Planted pair i sits at slots (i·stride, i·stride + 1), spread evenly so the brute-force prefix holds its share.
const ids = Uint32Array.from({ length: n }, (_, i) => i);
const hi = new Uint32Array(n).map(nextUint32);
const lo = new Uint32Array(n).map(nextUint32);
const stride = planted > 0 ? Math.floor(n / planted) : n;
const plantedDistance = new Uint8Array(planted);
for (let i = 0; i < planted; i++) {
  const [a, b] = [i * stride, i * stride + 1];
  const distance = nextUint32() % (MAX_PLANTED_DISTANCE + 1);
  let [flipHi, flipLo] = [0, 0];
  while (popcount64(flipHi, flipLo) < distance) {
    const bit = nextUint32() & 63;
    if (bit < 32) flipLo |= 1 << bit;
    else flipHi |= 1 << (bit - 32);
  }
  [hi[b], lo[b], plantedDistance[i]] = [hi[a]! ^ flipHi, lo[a]! ^ flipLo, distance];
}

const seconds = (start: number): number => (performance.now() - start) / 1000;
const peakRssMb = (): string => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const fmt = (s: number): string => `${s.toFixed(3)} s`;

/** Order-independent fingerprint of a pair set: Σ hash(min, max, d) mod 2^32. */
const pairHash = (a: number, b: number, d: number): number =>
  (Math.imul(Math.min(a, b), 0x9e3779b1) ^ Math.imul(Math.max(a, b), 0x85ebca6b) ^ d) >>> 0;

interface Run {
  build: number;
  search: number;
  pairs: number;
  checksum: number;
  recall: string;
  layout: string;
}

/** Builds an index for `radius` over the first `count` signatures and runs allPairs. */
function runIndex(count: number, radius: number): Run {
  const index = new HammingIndex({ maxRadius: radius });
  const buildStart = performance.now();
  index.bulkLoad(ids.subarray(0, count), hi.subarray(0, count), lo.subarray(0, count));
  const build = seconds(buildStart);
  const found = new Uint8Array(planted);
  let [pairs, checksum] = [0, 0];
  const searchStart = performance.now();
  index.allPairs(radius, (a, b, d) => {
    pairs++;
    checksum = (checksum + pairHash(a, b, d)) >>> 0;
    const first = Math.min(a, b);
    if (Math.abs(a - b) === 1 && first % stride === 0 && first / stride < planted) found[first / stride] = 1;
  });
  const search = seconds(searchStart);
  let [expected, hit] = [0, 0];
  for (let i = 0; i < planted && i * stride + 1 < count; i++) {
    if (plantedDistance[i]! > radius) continue;
    expected++;
    hit += found[i]!;
  }
  const recall = `${((100 * hit) / Math.max(1, expected)).toFixed(2)}% (${hit}/${expected})`;
  const { substrings, widths, distinct } = index.stats;
  return {
    build,
    search,
    pairs,
    checksum,
    recall,
    layout: `m=${substrings} [${widths.join(',')}], ${distinct} distinct`,
  };
}

console.log(`bench:hamming — n=${n}, ${planted} planted pairs at distance 0..${MAX_PLANTED_DISTANCE}`);
console.log(`one thread, node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'}\n`);

const maxRadius = Math.max(...radii);
const bruteCounts = new Map<number, { pairs: number; checksum: number }>(
  radii.map((r) => [r, { pairs: 0, checksum: 0 }]),
);
const bruteStart = performance.now();
bruteForceAllPairs(
  ids.subarray(0, bruteN),
  hi.subarray(0, bruteN),
  lo.subarray(0, bruteN),
  maxRadius,
  (a, b, d) => {
    for (const r of radii) {
      if (d > r) continue;
      const counts = bruteCounts.get(r)!;
      counts.pairs++;
      counts.checksum = (counts.checksum + pairHash(a, b, d)) >>> 0;
    }
  },
);
const bruteSeconds = seconds(bruteStart);
const bruteExtrapolated = bruteSeconds * (n / bruteN) ** 2;
console.log(
  `brute force, MEASURED on the first ${bruteN} signatures (one pass, all radii): ${fmt(bruteSeconds)}`,
);
console.log(`brute force, EXTRAPOLATED to n=${n} as (n/${bruteN})²: ${fmt(bruteExtrapolated)}\n`);

for (const radius of radii) {
  const subset = runIndex(bruteN, radius);
  const full = bruteN === n ? subset : runIndex(n, radius);
  const brute = bruteCounts.get(radius)!;
  const same = subset.pairs === brute.pairs && subset.checksum === brute.checksum;
  const [subsetTotal, fullTotal] = [subset.build + subset.search, full.build + full.search];
  console.log(`radius ${radius} (index layout at n=${n}: ${full.layout})`);
  console.log(
    `  n=${n}: build ${fmt(full.build)}, search ${fmt(full.search)}, total ${fmt(fullTotal)}; ` +
      `pairs ${full.pairs}; planted-pair recall ${full.recall}`,
  );
  console.log(
    `  n=${bruteN}: index ${fmt(subsetTotal)} (build+search), ${subset.pairs} pairs; brute force ` +
      `${brute.pairs} pairs: ${same ? 'same pair set (count and checksum)' : 'DIFFERENT PAIR SETS'}`,
  );
  console.log(
    `  speedup MEASURED at n=${bruteN}: ${(bruteSeconds / subsetTotal).toFixed(1)}x; ` +
      `vs brute force EXTRAPOLATED to n=${n}: ${(bruteExtrapolated / fullTotal).toFixed(0)}x`,
  );
  console.log(`  peak RSS so far: ${peakRssMb()} MB\n`);
}
