/**
 * 64-bit DCT perceptual hash (the classic pHash construction):
 * 32×32 grayscale → 2-D DCT-II → the 8×8 block of lowest frequencies *excluding* the DC row and column
 * (coefficients 1..8 × 1..8, as in phash.org, which yields exactly 64 values) → each bit is
 * "coefficient > median of the 64" → 16 lowercase hex chars, most significant bit first.
 * Dropping the DC row/column makes the hash insensitive to overall brightness shifts.
 */

export const PHASH_INPUT_SIZE = 32;
const BLOCK = 8;
const FIRST_COEFFICIENT = 1;

/** cos((2x+1)uπ/2N) for u in the used band, x in 0..N-1; computed once. */
const COSINES: Float64Array[] = Array.from({ length: FIRST_COEFFICIENT + BLOCK }, (_, u) => {
  const row = new Float64Array(PHASH_INPUT_SIZE);
  for (let x = 0; x < PHASH_INPUT_SIZE; x++) {
    row[x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_INPUT_SIZE));
  }
  return row;
});

/** `gray` is 32×32 luminance values, row-major. */
export function phashFromGray32(gray: ArrayLike<number>): string {
  if (gray.length !== PHASH_INPUT_SIZE * PHASH_INPUT_SIZE) {
    throw new RangeError(`pHash needs ${PHASH_INPUT_SIZE * PHASH_INPUT_SIZE} samples, got ${gray.length}`);
  }
  const coefficients = lowFrequencyDct(gray);
  const median = medianOf(coefficients);
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) {
      value = (value << 1) | ((coefficients[nibble * 4 + bit] ?? 0) > median ? 1 : 0);
    }
    hex += value.toString(16);
  }
  return hex;
}

/** Separable DCT restricted to the 8×8 band we keep: rows first (32 rows × 8 frequencies), then columns. */
function lowFrequencyDct(gray: ArrayLike<number>): Float64Array {
  const n = PHASH_INPUT_SIZE;
  const rowPass = new Float64Array(n * BLOCK);
  for (let y = 0; y < n; y++) {
    for (let k = 0; k < BLOCK; k++) {
      const cos = COSINES[FIRST_COEFFICIENT + k] as Float64Array;
      let sum = 0;
      for (let x = 0; x < n; x++) sum += (gray[y * n + x] ?? 0) * (cos[x] ?? 0);
      rowPass[y * BLOCK + k] = sum;
    }
  }
  const out = new Float64Array(BLOCK * BLOCK);
  for (let v = 0; v < BLOCK; v++) {
    const cos = COSINES[FIRST_COEFFICIENT + v] as Float64Array;
    for (let k = 0; k < BLOCK; k++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += (rowPass[y * BLOCK + k] ?? 0) * (cos[y] ?? 0);
      out[v * BLOCK + k] = sum;
    }
  }
  return out;
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const NIBBLE_BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
const HEX_DIGIT: Partial<Record<number, number>> = Object.fromEntries(
  '0123456789abcdef'.split('').flatMap((c, v) => [
    [c.charCodeAt(0), v],
    [c.toUpperCase().charCodeAt(0), v],
  ]),
);

/** Number of differing bits between two equal-length hex strings (e.g. two pHashes). */
export function hammingDistanceHex(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`Hashes differ in length: ${a.length} vs ${b.length}`);
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    const x = HEX_DIGIT[a.charCodeAt(i)];
    const y = HEX_DIGIT[b.charCodeAt(i)];
    if (x === undefined || y === undefined) throw new RangeError(`Not a hex string: ${a} / ${b}`);
    distance += NIBBLE_BITS[x ^ y] ?? 0;
  }
  return distance;
}
