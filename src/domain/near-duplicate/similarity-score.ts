import type { LevelGrid, SimilarityWarp, WarpedSamples } from './alignment.js';

/**
 * The similarity of two aligned pictures: the correlation of their gradient fields (edges and texture,
 * as 2-D vectors), leaving out the TRIMMED_FRACTION of pixels that disagree most, times a penalty when
 * the pictures share less than FULL_OVERLAP of their area.
 *
 * Why gradients: intensity correlation is dominated by the big bright/dark layout, which two different
 * captures of one scene share (a stereo pair scores 0.96 on intensities, 0.89 on gradients). Gradients
 * compare where the edges are, which a re-encode, resize or small crop of the same picture preserves.
 * Why trimmed: a caption or watermark changes a few percent of the pixels completely; it must not
 * decide the score. Why the overlap penalty: a 45% crop matches its original perfectly where it
 * overlaps, but is not the same picture.
 */

/** Share of pixels that may differ completely (caption, watermark, date stamp) without lowering the score. */
export const TRIMMED_FRACTION = 0.1;
/** A duplicate keeps at least this much of the other picture's area (≈ a 15% crop on every side). */
export const FULL_OVERLAP = 0.7;
/**
 * The geometry a duplicate may differ by: straightening up to MAX_ROTATION_DEGREES, and a scale change
 * (crop or zoom) up to MAX_SCALE. Beyond, the score fades to 0 at twice the bound: repetitive textures
 * (stripes, leaves, tiles) otherwise align with unrelated pictures at 10–15° or large zooms.
 */
export const MAX_ROTATION_DEGREES = 7;
export const MAX_SCALE = 1.25;
/**
 * The trimmed pixels are chosen twice, the second time with both fields normalised on the first round's
 * inliers, so that a strong overlay no longer inflates the normalisation of its picture.
 */
const TRIM_ROUNDS = 2;

export function gradientSimilarity(
  template: LevelGrid,
  image: LevelGrid,
  warp: SimilarityWarp,
  samples: WarpedSamples,
): number {
  const { count } = samples;
  if (count < 16) return 0;
  const fields = gradientFields(template, image, warp, samples);
  const { tgx, tgy, igx, igy } = fields;
  const { disagreement, work } = buffersFor(count);
  let templateScale = fields.templateScale;
  let imageScale = fields.imageScale;
  let correlation = 0;
  for (let round = 0; round < TRIM_ROUNDS; round++) {
    for (let i = 0; i < count; i++) {
      const ex = (tgx[i] as number) * templateScale - (igx[i] as number) * imageScale;
      const ey = (tgy[i] as number) * templateScale - (igy[i] as number) * imageScale;
      disagreement[i] = ex * ex + ey * ey;
    }
    const cutoff = quantile(disagreement, count, 1 - TRIMMED_FRACTION, work);
    let cross = 0;
    let tt = 0;
    let ii = 0;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      if ((disagreement[i] as number) > cutoff) continue;
      const gx = tgx[i] as number;
      const gy = tgy[i] as number;
      const hx = igx[i] as number;
      const hy = igy[i] as number;
      cross += gx * hx + gy * hy;
      tt += gx * gx + gy * gy;
      ii += hx * hx + hy * hy;
      kept++;
    }
    if (tt === 0 || ii === 0) return 0;
    correlation = cross / Math.sqrt(tt * ii);
    templateScale = Math.sqrt(kept / tt);
    imageScale = Math.sqrt(kept / ii);
  }
  return Math.max(0, correlation) * overlapFactor(samples);
}

/** 1 inside the duplicate geometry bounds, falling linearly to 0 at twice each bound. */
export function geometryFactor(scale: number, rotationDegrees: number): number {
  const rotationExcess = Math.abs(rotationDegrees) / MAX_ROTATION_DEGREES - 1;
  const scaleExcess = Math.abs(Math.log(scale)) / Math.log(MAX_SCALE) - 1;
  return Math.max(0, 1 - Math.max(0, rotationExcess)) * Math.max(0, 1 - Math.max(0, scaleExcess));
}

/** 1 when both pictures share at least FULL_OVERLAP of their area, falling linearly to 0 below. */
export function overlapFactor(samples: WarpedSamples): number {
  return Math.min(1, Math.min(samples.templateCoverage, samples.imageCoverage) / FULL_OVERLAP);
}

interface GradientFields {
  readonly tgx: Float32Array;
  readonly tgy: Float32Array;
  readonly igx: Float32Array;
  readonly igy: Float32Array;
  /** 1 / RMS gradient magnitude of each side (0 when flat). */
  readonly templateScale: number;
  readonly imageScale: number;
}

/**
 * Both gradient fields at the samples, in physical units and in the template's frame: the image gradient
 * is mapped back through the warp's linear part (Mᵀ∇I); its scale cancels in the normalisation.
 */
function gradientFields(
  template: LevelGrid,
  image: LevelGrid,
  warp: SimilarityWarp,
  samples: WarpedSamples,
): GradientFields {
  const { count } = samples;
  const templateX = template.size / template.aspect;
  const templateY = template.size;
  const imageX = image.size / image.aspect;
  const imageY = image.size;
  const p = 1 + warp.a;
  const { tgx, tgy, igx, igy } = buffersFor(count);
  let templateEnergy = 0;
  let imageEnergy = 0;
  for (let i = 0; i < count; i++) {
    const index = samples.templateIndex[i] as number;
    const gx = (template.gx[index] as number) * templateX;
    const gy = (template.gy[index] as number) * templateY;
    const hx = (samples.imageGx[i] as number) * imageX;
    const hy = (samples.imageGy[i] as number) * imageY;
    const rx = p * hx + warp.b * hy;
    const ry = p * hy - warp.b * hx;
    tgx[i] = gx;
    tgy[i] = gy;
    igx[i] = rx;
    igy[i] = ry;
    templateEnergy += gx * gx + gy * gy;
    imageEnergy += rx * rx + ry * ry;
  }
  return {
    tgx,
    tgy,
    igx,
    igy,
    templateScale: templateEnergy > 0 ? Math.sqrt(count / templateEnergy) : 0,
    imageScale: imageEnergy > 0 ? Math.sqrt(count / imageEnergy) : 0,
  };
}

/** The value at rank ⌊fraction·(n−1)⌋ of values[0..n) (Hoare's quickselect in `work`; O(n) on average). */
export function quantile(values: Float32Array, n: number, fraction: number, work: Float32Array): number {
  work.set(values.subarray(0, n));
  const target = Math.min(n - 1, Math.max(0, Math.floor(fraction * (n - 1))));
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const pivot = work[(low + high) >> 1] as number;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((work[i] as number) < pivot) i++;
      while ((work[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = work[i] as number;
        work[i] = work[j] as number;
        work[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return work[target] as number;
}

interface Scratch {
  tgx: Float32Array;
  tgy: Float32Array;
  igx: Float32Array;
  igy: Float32Array;
  disagreement: Float32Array;
  work: Float32Array;
}

/** Scratch arrays, reused across calls (verification is synchronous, so never shared by two calls). */
let scratch: Scratch = {
  tgx: new Float32Array(0),
  tgy: new Float32Array(0),
  igx: new Float32Array(0),
  igy: new Float32Array(0),
  disagreement: new Float32Array(0),
  work: new Float32Array(0),
};

function buffersFor(count: number): Scratch {
  if (scratch.work.length < count) {
    const make = (): Float32Array => new Float32Array(count);
    scratch = { tgx: make(), tgy: make(), igx: make(), igy: make(), disagreement: make(), work: make() };
  }
  return scratch;
}
