import type { LevelGrid } from './alignment.js';
import { swapsAxes, transformSquare, type DihedralTransform } from './dihedral.js';
import type { SignatureSet } from './signature-set.js';

/**
 * The stored 48×48 grid turned into what verification works on: lightly blurred (σ ≈ 0.7 pixel,
 * so that 1–2 px of resampling difference between a picture and its resized, rotated or recompressed
 * copy does not read as a difference of content), as a pyramid 48 → 24 → 12 for coarse-to-fine
 * alignment, with gradients. Prepared once per signature set and remembered while the set is alive.
 */

export const PYRAMID_LEVELS = 3;

export type Pyramid = readonly LevelGrid[];

const prepared = new WeakMap<SignatureSet, Map<DihedralTransform, Pyramid>>();

/** The pyramid of `set`'s picture turned by `transform` (finest level first). */
export function pyramidOf(set: SignatureSet, transform: DihedralTransform): Pyramid {
  let byTransform = prepared.get(set);
  if (!byTransform) {
    byTransform = new Map();
    prepared.set(set, byTransform);
  }
  const cached = byTransform.get(transform);
  if (cached) return cached;
  const size = Math.round(Math.sqrt(set.grid.length));
  const upright = binomialBlur(Float32Array.from(set.grid), size);
  const data = transformSquare(upright, size, transform, new Float32Array(upright.length));
  const aspect = swapsAxes(transform) ? 1 / set.aspect : set.aspect;
  const levels: LevelGrid[] = [withGradients(data, size, aspect)];
  for (let level = 1; level < PYRAMID_LEVELS; level++) {
    const previous = levels[level - 1] as LevelGrid;
    levels.push(withGradients(halve(previous.data, previous.size), previous.size >> 1, aspect));
  }
  byTransform.set(transform, levels);
  return levels;
}

function withGradients(data: Float32Array, size: number, aspect: number): LevelGrid {
  const gx = new Float32Array(size * size);
  const gy = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const up = Math.max(0, y - 1);
    const down = Math.min(size - 1, y + 1);
    for (let x = 0; x < size; x++) {
      const left = Math.max(0, x - 1);
      const right = Math.min(size - 1, x + 1);
      gx[y * size + x] =
        ((data[y * size + right] as number) - (data[y * size + left] as number)) / (right - left);
      gy[y * size + x] = ((data[down * size + x] as number) - (data[up * size + x] as number)) / (down - up);
    }
  }
  return { size, aspect, data, gx, gy };
}

/** 2×2 box average (the grid sizes are even). */
function halve(data: Float32Array, size: number): Float32Array {
  const half = size >> 1;
  const out = new Float32Array(half * half);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const i = 2 * y * size + 2 * x;
      const sum =
        (data[i] as number) +
        (data[i + 1] as number) +
        (data[i + size] as number) +
        (data[i + size + 1] as number);
      out[y * half + x] = sum / 4;
    }
  }
  return out;
}

/**
 * Binomial [1 2 1]/4 blur along both axes: a Gaussian of σ ≈ 0.71 px at the cost of two adds per
 * pixel and axis. At the border the missing tap's weight goes to the border pixel itself.
 */
export function binomialBlur(data: Float32Array, size: number): Float32Array {
  const rows = new Float32Array(data.length);
  for (let y = 0; y < size; y++) {
    const line = y * size;
    for (let x = 0; x < size; x++) {
      const left = data[line + (x > 0 ? x - 1 : x)] as number;
      const right = data[line + (x < size - 1 ? x + 1 : x)] as number;
      rows[line + x] = (left + 2 * (data[line + x] as number) + right) / 4;
    }
  }
  const out = new Float32Array(data.length);
  for (let y = 0; y < size; y++) {
    const up = (y > 0 ? y - 1 : y) * size;
    const down = (y < size - 1 ? y + 1 : y) * size;
    for (let x = 0; x < size; x++) {
      out[y * size + x] =
        ((rows[up + x] as number) + 2 * (rows[y * size + x] as number) + (rows[down + x] as number)) / 4;
    }
  }
  return out;
}
