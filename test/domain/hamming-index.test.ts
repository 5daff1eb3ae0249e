import { describe, expect, it } from 'vitest';
import {
  bruteForceAllPairs,
  hammingDistance,
  HammingIndex,
  popcount32,
  signatureFromHex,
  signaturesFromHex,
  signatureToHex,
  type PairCallback,
} from '../../src/domain/hamming-index.js';

/** mulberry32: a seeded uint32 stream, so that every failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** (hi, lo) with exactly k distinct random bits flipped. */
function flipBits(next: () => number, hi: number, lo: number, k: number): [number, number] {
  let [maskHi, maskLo] = [0, 0];
  while (popcount32(maskHi) + popcount32(maskLo) < k) {
    const bit = next() & 63;
    if (bit < 32) maskLo |= 1 << bit;
    else maskHi |= 1 << (bit - 32);
  }
  return [(hi ^ maskHi) >>> 0, (lo ^ maskLo) >>> 0];
}

interface Corpus {
  ids: Uint32Array;
  hi: Uint32Array;
  lo: Uint32Array;
}

/** n random signatures where about a third are near copies (0..maxFlip bits) of earlier ones; sparse ids. */
function corpus(seed: number, n: number, maxFlip = 13): Corpus {
  const next = prng(seed);
  const c: Corpus = { ids: new Uint32Array(n), hi: new Uint32Array(n), lo: new Uint32Array(n) };
  for (let i = 0; i < n; i++) {
    c.ids[i] = i * 101 + 13;
    if (i > 0 && next() % 3 === 0) {
      const j = next() % i;
      [c.hi[i], c.lo[i]] = flipBits(next, c.hi[j]!, c.lo[j]!, next() % (maxFlip + 1));
    } else {
      [c.hi[i], c.lo[i]] = [next(), next()];
    }
  }
  return c;
}

/** Pair key for ids below 2^21 (all test ids): exact in a double, cheaper than strings for millions of pairs. */
const pairKey = (a: number, b: number): number => Math.min(a, b) * 2 ** 32 + Math.max(a, b);

/** Collects pairs as key → distance, counting any pair reported twice. */
function collect(run: (onPair: PairCallback) => void): { pairs: Map<number, number>; duplicates: number } {
  const pairs = new Map<number, number>();
  let duplicates = 0;
  run((a, b, d) => {
    const key = pairKey(a, b);
    if (pairs.has(key)) duplicates++;
    pairs.set(key, d);
  });
  return { pairs, duplicates };
}

/** Asserts that allPairs reports exactly brute force's pairs and distances, each once; returns the count. */
function expectSameAsBruteForce(index: HammingIndex, c: Corpus, radius: number): number {
  const expected = collect((onPair) => {
    bruteForceAllPairs(c.ids, c.hi, c.lo, radius, onPair);
  }).pairs;
  const actual = collect((onPair) => {
    index.allPairs(radius, onPair);
  });
  const wrong = [...actual.pairs].filter(([key, d]) => expected.get(key) !== d).slice(0, 5);
  expect(wrong).toEqual([]);
  expect(actual.duplicates).toBe(0);
  expect(actual.pairs.size).toBe(expected.size);
  return expected.size;
}

/** Linear-scan reference for `query`, in its order (distance, then id). */
function linearQuery(c: Corpus, hi: number, lo: number, radius: number): { id: number; distance: number }[] {
  return Array.from(c.ids, (id, i) => ({ id, distance: hammingDistance(hi, lo, c.hi[i]!, c.lo[i]!) }))
    .filter((n) => n.distance <= radius)
    .sort((a, b) => a.distance - b.distance || a.id - b.id);
}

function buildIndex(c: Corpus, maxRadius: number, substrings?: number): HammingIndex {
  const index = new HammingIndex(substrings === undefined ? { maxRadius } : { maxRadius, substrings });
  index.bulkLoad(c.ids, c.hi, c.lo);
  return index;
}

describe('signature helpers', () => {
  it('counts bits like a naive loop', () => {
    const next = prng(1);
    const naive = (x: number): number => (x >>> 0).toString(2).replaceAll('0', '').length;
    for (const x of [0, 1, 0x80000000, 0xffffffff, 0x55555555, ...Array.from({ length: 500 }, next)]) {
      expect(popcount32(x)).toBe(naive(x));
      const [a, b] = [next(), next()];
      expect(hammingDistance(x, a, b, x)).toBe(naive(x ^ b) + naive(a ^ x));
    }
  });

  it('round-trips the 16-hex-digit storage format', () => {
    expect(signatureFromHex('0000000000000001')).toEqual({ hi: 0, lo: 1 });
    expect(signatureFromHex('FFFFFFFF80000000')).toEqual({ hi: 0xffffffff, lo: 0x80000000 });
    expect(signatureToHex(0x0a, 0xffffffff)).toBe('0000000affffffff');
    const next = prng(2);
    const hexes = Array.from({ length: 200 }, () => signatureToHex(next(), next()));
    const { hi, lo } = signaturesFromHex(hexes);
    hexes.forEach((hex, i) => {
      expect(hex).toMatch(/^[0-9a-f]{16}$/);
      expect(signatureToHex(hi[i]!, lo[i]!)).toBe(hex);
    });
    for (const bad of ['', '123', '0123456789abcdeg', '0123456789abcdef0', ' 123456789abcdef']) {
      expect(() => signatureFromHex(bad)).toThrow(RangeError);
    }
  });
});

describe('HammingIndex.allPairs', () => {
  it.each([0, 1, 4, 8, 12])('equals brute force at radius %i (several sizes)', (radius) => {
    for (const n of [1, 2, 200, 3000]) {
      const c = corpus(100 + radius + n, n);
      expectSameAsBruteForce(buildIndex(c, radius), c, radius);
    }
  });

  it.each([3, 4, 5, 7, 9])('equals brute force with %i substrings at every radius up to 12', (m) => {
    const c = corpus(200 + m, 2000);
    const index = buildIndex(c, 12, m);
    expect(index.stats.substrings).toBe(m);
    for (const radius of [0, 2, 5, 8, 12])
      expect(expectSameAsBruteForce(index, c, radius)).toBeGreaterThan(0);
  });

  it('includes pairs at exactly the radius and excludes radius + 1', () => {
    const next = prng(3);
    for (const radius of [0, 1, 4, 8, 12]) {
      const [hi, lo] = [next(), next()];
      // Entry k (k < 16) is k bits away from entry 100, so distances 0..15 all occur around the radius.
      const c: Corpus = { ids: new Uint32Array(17), hi: new Uint32Array(17), lo: new Uint32Array(17) };
      for (let k = 0; k < 17; k++) {
        c.ids[k] = k < 16 ? k : 100;
        [c.hi[k], c.lo[k]] = k < 16 ? flipBits(next, hi, lo, k) : [hi, lo];
      }
      const index = buildIndex(c, radius);
      const { pairs } = collect((onPair) => {
        index.allPairs(radius, onPair);
      });
      expect(pairs.get(pairKey(radius, 100))).toBe(radius);
      expect(pairs.has(pairKey(radius + 1, 100))).toBe(false);
      expect(index.query(hi, lo, radius).map((n) => n.distance)).toEqual([
        0,
        ...Array.from({ length: radius + 1 }, (_, k) => k),
      ]);
      expectSameAsBruteForce(index, c, radius);
    }
  });

  it('handles many identical signatures, their near copies and a crowded bucket exactly', () => {
    const next = prng(4);
    const c = corpus(5, 4000);
    const [hi, lo] = [next(), next()];
    for (let i = 0; i < 1600; i++) {
      // 1000 exact copies, 100 near copies, then 500 signatures sharing the low half (one crowded bucket).
      [c.hi[i], c.lo[i]] =
        i < 1000 ? [hi, lo] : i < 1100 ? flipBits(next, hi, lo, 1 + (i % 8)) : [next(), lo];
    }
    const index = buildIndex(c, 8);
    expect(expectSameAsBruteForce(index, c, 8)).toBeGreaterThan((1000 * 999) / 2);
    expect(index.query(hi, lo, 0).map((n) => n.id)).toEqual(Array.from(c.ids.subarray(0, 1000)));
  });

  it('stores thousands of exact copies once and only pays for the pairs they produce', () => {
    const c = corpus(8, 10_000);
    c.hi.fill(c.hi[0]!, 0, 5000);
    c.lo.fill(c.lo[0]!, 0, 5000);
    const index = buildIndex(c, 12);
    expect(index.stats.distinct).toBeLessThanOrEqual(5001);
    let [expected, actual] = [0, 0];
    bruteForceAllPairs(c.ids, c.hi, c.lo, 12, () => expected++);
    index.allPairs(12, () => actual++);
    expect(actual).toBe(expected);
    expect(actual).toBeGreaterThanOrEqual((5000 * 4999) / 2);
  });
});

describe('HammingIndex.query', () => {
  it.each([0, 1, 4, 8, 12])('equals a linear scan at radius %i', (radius) => {
    const c = corpus(300 + radius, 3000);
    const index = buildIndex(c, 12);
    const next = prng(radius);
    for (let q = 0; q < 100; q++) {
      const i = next() % c.ids.length;
      const [hi, lo] = flipBits(next, c.hi[i]!, c.lo[i]!, next() % (radius + 2));
      expect(index.query(hi, lo, radius)).toEqual(linearQuery(c, hi, lo, radius));
    }
  });
});

describe('HammingIndex updates', () => {
  it('finds incremental adds after a bulk load, before and after the pending buffer is merged', () => {
    const c = corpus(6, 4000);
    const index = buildIndex(
      { ids: c.ids.subarray(0, 1000), hi: c.hi.subarray(0, 1000), lo: c.lo.subarray(0, 1000) },
      8,
    );
    let sawPending = false;
    for (let i = 1000; i < 4000; i++) {
      index.add(c.ids[i]!, c.hi[i]!, c.lo[i]!);
      sawPending ||= index.stats.pending > 0;
      if (i % 250 === 0) {
        const seen = {
          ids: c.ids.subarray(0, i + 1),
          hi: c.hi.subarray(0, i + 1),
          lo: c.lo.subarray(0, i + 1),
        };
        expect(index.query(c.hi[i]!, c.lo[i]!, 8)).toEqual(linearQuery(seen, c.hi[i]!, c.lo[i]!, 8));
      }
    }
    expect(sawPending).toBe(true);
    expect(index.size).toBe(4000);
    expectSameAsBruteForce(index, c, 8);
    expect(index.stats.pending).toBe(0);
  });

  it('removes static and pending entries, and takes a removed id back with a new signature', () => {
    const c = corpus(7, 2000);
    const index = buildIndex(c, 8);
    index.add(999_999, c.hi[0]!, c.lo[0]!);
    expect(index.remove(999_999)).toBe(true);
    expect(index.remove(999_999)).toBe(false);
    expect(index.remove(4)).toBe(false);
    const kept = Array.from(c.ids.keys()).filter((i) => i % 5 !== 0);
    for (let i = 0; i < c.ids.length; i += 5) expect(index.remove(c.ids[i]!)).toBe(true);
    expect(index.size).toBe(kept.length);
    const live: Corpus = {
      ids: Uint32Array.from(kept, (i) => c.ids[i]!),
      hi: Uint32Array.from(kept, (i) => c.hi[i]!),
      lo: Uint32Array.from(kept, (i) => c.lo[i]!),
    };
    expectSameAsBruteForce(index, live, 8);
    expect(index.query(c.hi[0]!, c.lo[0]!, 8)).toEqual(linearQuery(live, c.hi[0]!, c.lo[0]!, 8));
    index.add(c.ids[0]!, c.hi[1]!, c.lo[1]!);
    expect(index.query(c.hi[1]!, c.lo[1]!, 0).map((n) => n.id)).toContain(c.ids[0]);
    // Removing past a quarter of the entries purges the tombstones with a rebuild.
    for (const i of kept.slice(0, 600)) expect(index.remove(c.ids[i]!)).toBe(true);
    expect(index.size).toBe(kept.length - 600 + 1);
  });

  it('rejects invalid arguments and behaves when empty', () => {
    const index = new HammingIndex({ maxRadius: 4 });
    expect(index.size).toBe(0);
    expect(index.query(1, 2, 4)).toEqual([]);
    index.allPairs(4, () => {
      throw new Error('no pairs expected');
    });
    expect(() => index.query(1, 2, 5)).toThrow(RangeError);
    expect(() => index.query(1, 2, 1.5)).toThrow(RangeError);
    expect(() => {
      index.add(-1, 0, 0);
    }).toThrow(RangeError);
    expect(() => {
      index.add(1, 2 ** 32, 0);
    }).toThrow(RangeError);
    expect(() => {
      index.bulkLoad(new Uint32Array(2), new Uint32Array(2), new Uint32Array(1));
    }).toThrow(RangeError);
    expect(() => new HammingIndex({ maxRadius: 33 })).toThrow(RangeError);
    expect(() => new HammingIndex({ maxRadius: 8, substrings: 2 })).toThrow(RangeError);
  });
});
