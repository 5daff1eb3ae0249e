import { dihedralSteps, type DihedralTransform } from './dihedral.js';

/**
 * The 64-bit DCT perceptual hash (same construction and bit order as src/domain/phash.ts: 32×32 grid,
 * DCT-II, frequencies 1..8 × 1..8, bit = coefficient > median, most significant first), split into
 * "coefficients" and "bits" so that the hash of a rotated or mirrored picture comes from the same
 * coefficients: mirroring an axis negates the odd frequencies along it, transposing swaps the frequency
 * indices. The hashes of all eight dihedral variants thus cost one DCT.
 */

export const HASH_GRID = 32;
const BAND = 8;
const FIRST_FREQUENCY = 1;

/** cos((2x+1)fπ/2N) for the frequencies of the band. */
const COSINES: Float64Array[] = Array.from({ length: BAND }, (_, k) => {
  const frequency = FIRST_FREQUENCY + k;
  return Float64Array.from({ length: HASH_GRID }, (_, x) =>
    Math.cos(((2 * x + 1) * frequency * Math.PI) / (2 * HASH_GRID)),
  );
});

/**
 * The 8×8 low-frequency band of a 32×32 grid, `band[v * 8 + u]` with u the horizontal and v the
 * vertical frequency (both 1..8).
 */
export function dctBand(grid: ArrayLike<number>): Float64Array {
  if (grid.length !== HASH_GRID * HASH_GRID) {
    throw new RangeError(`The DCT hash needs ${HASH_GRID * HASH_GRID} samples, got ${grid.length}`);
  }
  const rowPass = new Float64Array(HASH_GRID * BAND);
  for (let y = 0; y < HASH_GRID; y++) {
    for (let u = 0; u < BAND; u++) {
      const cosine = COSINES[u] as Float64Array;
      let sum = 0;
      for (let x = 0; x < HASH_GRID; x++) sum += (grid[y * HASH_GRID + x] as number) * (cosine[x] as number);
      rowPass[y * BAND + u] = sum;
    }
  }
  const band = new Float64Array(BAND * BAND);
  for (let v = 0; v < BAND; v++) {
    const cosine = COSINES[v] as Float64Array;
    for (let u = 0; u < BAND; u++) {
      let sum = 0;
      for (let y = 0; y < HASH_GRID; y++) sum += (rowPass[y * BAND + u] as number) * (cosine[y] as number);
      band[v * BAND + u] = sum;
    }
  }
  return band;
}

/** The band of the transformed grid, from the band of the original (exact, no second DCT). */
export function transformBand(band: Float64Array, transform: DihedralTransform): Float64Array {
  const { swapAxes, flipX, flipY } = dihedralSteps(transform);
  const out = new Float64Array(BAND * BAND);
  for (let v = 0; v < BAND; v++) {
    for (let u = 0; u < BAND; u++) {
      // Mirroring negates odd frequencies (cos of the mirrored sample = (−1)^f × cos of the sample).
      const oddU = flipX && (FIRST_FREQUENCY + u) % 2 === 1;
      const oddV = flipY && (FIRST_FREQUENCY + v) % 2 === 1;
      const source = swapAxes ? u * BAND + v : v * BAND + u;
      out[v * BAND + u] = (band[source] as number) * (oddU !== oddV ? -1 : 1);
    }
  }
  return out;
}

/** 16 lowercase hex digits: bit i (most significant first) is coefficient i > the median of the 64. */
export function hashFromBand(band: Float64Array): string {
  const sorted = Float64Array.from(band).sort();
  const middle = sorted.length >> 1;
  const median = ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  let hex = '';
  for (let nibble = 0; nibble < band.length / 4; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++)
      value = (value << 1) | ((band[nibble * 4 + bit] as number) > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}
