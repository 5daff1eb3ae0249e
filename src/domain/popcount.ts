/**
 * Bit-level primitives for 64-bit perceptual signatures (pHash and friends), held as two uint32 halves: `hi`
 * is the first 8 hex digits of the stored string, `lo` the last 8. Keeping signatures on 32-bit integers and
 * typed arrays (rather than BigInt) is what lets the Hamming index's inner loops run as plain integer code.
 */

export interface Signature {
  readonly hi: number;
  readonly lo: number;
}

/** Receives one unordered pair of ids and their Hamming distance. */
export type PairCallback = (a: number, b: number, distance: number) => void;

/** Number of set bits of a 32-bit integer (SWAR: 2-, 4-, then 8-bit partial sums, summed by one multiply). */
export function popcount32(x: number): number {
  const pairs = x - ((x >>> 1) & 0x55555555);
  const nibbles = (pairs & 0x33333333) + ((pairs >>> 2) & 0x33333333);
  return Math.imul((nibbles + (nibbles >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Number of set bits of the 64-bit value (h, l). The halves are reduced separately down to per-byte counts
 * (each ≤ 8), added (each byte ≤ 16, so no carry crosses a byte) and share one final multiply.
 */
export function popcount64(h: number, l: number): number {
  const hPairs = h - ((h >>> 1) & 0x55555555);
  const lPairs = l - ((l >>> 1) & 0x55555555);
  const hNibbles = (hPairs & 0x33333333) + ((hPairs >>> 2) & 0x33333333);
  const lNibbles = (lPairs & 0x33333333) + ((lPairs >>> 2) & 0x33333333);
  const bytes = ((hNibbles + (hNibbles >>> 4)) & 0x0f0f0f0f) + ((lNibbles + (lNibbles >>> 4)) & 0x0f0f0f0f);
  return Math.imul(bytes, 0x01010101) >>> 24;
}

/** Number of differing bits between signatures A and B. */
export function hammingDistance(hiA: number, loA: number, hiB: number, loB: number): number {
  return popcount64(hiA ^ hiB, loA ^ loB);
}

/** Bits [start, start + width) of the 64-bit value (hi, lo), bit 0 being the lowest bit of `lo`; width ≤ 31. */
export function bitField64(hi: number, lo: number, start: number, width: number): number {
  const bits =
    start >= 32 ? hi >>> (start - 32) : (lo >>> start) | (start + width > 32 ? hi << (32 - start) : 0);
  return bits & ((1 << width) - 1);
}

/** The mask of bits [start, start + width) of a 64-bit value, as its [hi, lo] halves; width ≤ 31. */
export function bitMask64(start: number, width: number): [hi: number, lo: number] {
  const half = (from: number, to: number): number => {
    const [a, b] = [Math.max(0, from), Math.min(32, to)];
    return b <= a ? 0 : (((1 << (b - a)) - 1) << a) >>> 0;
  };
  return [half(start - 32, start + width - 32), half(start, start + width)];
}

const HEX64 = /^[0-9a-f]{16}$/i;

/** Parses our storage format (16 hex digits, most significant first; upper case is tolerated). */
export function signatureFromHex(hex: string): Signature {
  if (!HEX64.test(hex)) throw new RangeError(`A 64-bit signature is 16 hex digits, got "${hex}"`);
  return { hi: Number.parseInt(hex.slice(0, 8), 16), lo: Number.parseInt(hex.slice(8), 16) };
}

/** Formats a signature as 16 lowercase hex digits (the inverse of `signatureFromHex`). */
export function signatureToHex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Parses many stored signatures straight into the typed arrays `HammingIndex.bulkLoad` takes. */
export function signaturesFromHex(hexes: readonly string[]): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(hexes.length);
  const lo = new Uint32Array(hexes.length);
  hexes.forEach((hex, i) => {
    const signature = signatureFromHex(hex);
    hi[i] = signature.hi;
    lo[i] = signature.lo;
  });
  return { hi, lo };
}

/**
 * Indices 0..n−1 stably sorted by the uint32 keys, most significant key first: LSD radix sort, 16 bits per
 * pass; passes whose digit is constant (e.g. the high half of small ids) are skipped.
 */
export function sortedIndices(...keys: readonly Uint32Array[]): Uint32Array {
  const n = keys[0]?.length ?? 0;
  let [order, spare] = [Uint32Array.from({ length: n }, (_, i) => i), new Uint32Array(n)];
  const counts = new Uint32Array(0x10001);
  // `as number` on counts/key reads: indices are digits < 0x10000 and entries of `order`, always in range.
  for (const key of [...keys].reverse()) {
    for (let shift = 0; shift < 32; shift += 16) {
      counts.fill(0);
      for (const e of order) {
        const slot = (((key[e] as number) >>> shift) & 0xffff) + 1;
        counts[slot] = (counts[slot] as number) + 1;
      }
      if (counts.includes(n)) continue;
      for (let d = 1; d <= 0xffff; d++) counts[d] = (counts[d] as number) + (counts[d - 1] as number);
      for (const e of order) {
        const digit = ((key[e] as number) >>> shift) & 0xffff;
        const at = counts[digit] as number;
        counts[digit] = at + 1;
        spare[at] = e;
      }
      [order, spare] = [spare, order];
    }
  }
  return order;
}

/**
 * Reference all-pairs search: every pair i < j, O(n²). The ground truth for tests and the benchmark
 * baseline; use `HammingIndex.allPairs` for real libraries.
 */
export function bruteForceAllPairs(
  ids: Uint32Array,
  hi: Uint32Array,
  lo: Uint32Array,
  radius: number,
  onPair: PairCallback,
): void {
  const n = ids.length;
  // Reads are within 0..n-1 by the loop bounds, hence `as number` rather than a per-element check.
  for (let i = 0; i < n; i++) {
    const h = hi[i] as number;
    const l = lo[i] as number;
    for (let j = i + 1; j < n; j++) {
      const distance = popcount64(h ^ (hi[j] as number), l ^ (lo[j] as number));
      if (distance <= radius) onPair(ids[i] as number, ids[j] as number, distance);
    }
  }
}

/** Size of a Hamming ball: how many `width`-bit strings lie within `radius` of a given one (0 if radius < 0). */
export function ballSize(width: number, radius: number): number {
  let total = 0;
  for (let k = 0, binomial = 1; k <= Math.min(radius, width); k++) {
    total += binomial;
    binomial = (binomial * (width - k)) / (k + 1);
  }
  return total;
}

const ballCache = new Map<number, Uint32Array>();

/**
 * Every `width`-bit XOR mask with at most `radius` ≥ 0 set bits (width ≤ 31), ascending: the offsets from a
 * key to all keys of its Hamming ball. Ascending order keeps the masks sharing a top bit contiguous, which
 * the all-pairs join relies on. Memoised, since each (width, radius) is enumerated on every query.
 */
export function ballMasks(width: number, radius: number): Uint32Array {
  const cacheKey = width * 64 + radius;
  let masks = ballCache.get(cacheKey);
  if (!masks) {
    const found: number[] = [];
    const extend = (mask: number, lowestFreeBit: number, bitsLeft: number): void => {
      found.push(mask);
      if (bitsLeft === 0) return;
      for (let bit = lowestFreeBit; bit < width; bit++) extend(mask | (1 << bit), bit + 1, bitsLeft - 1);
    };
    extend(0, 0, radius);
    masks = Uint32Array.from(found).sort();
    ballCache.set(cacheKey, masks);
  }
  return masks;
}
