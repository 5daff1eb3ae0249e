/**
 * Aligns two small square grids (each a whole picture squeezed to size×size) by a similarity transform —
 * scale, rotation, translation — maximising their zero-mean normalised cross-correlation (ZNCC) with the
 * ECC algorithm (Evangelidis & Psarakis, "Parametric Image Alignment Using Enhanced Correlation
 * Coefficient Maximization", PAMI 2008). ZNCC ignores gain and offset, so brightness and contrast edits
 * do not disturb the alignment. Each step ignores the pixels whose residual is far above the typical one
 * (an M-estimator with a hard cut-off), so a caption or watermark cannot pull the alignment off.
 *
 * Geometry is in physical units — picture height 1, width = aspect ratio, origin at the centre — so a
 * rotation of a 4:3 picture is a true rotation and a crop of either picture is a scale plus a shift.
 */

/** One resolution of one picture: values and (for the picture being sampled) per-pixel gradients. */
export interface LevelGrid {
  readonly size: number;
  /** Width / height of the picture the grid shows. */
  readonly aspect: number;
  readonly data: Float32Array;
  readonly gx: Float32Array;
  readonly gy: Float32Array;
}

/** Template point (x, y) lands on image point ((1+a)x − by + tx, bx + (1+a)y + ty). */
export interface SimilarityWarp {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

export const IDENTITY_WARP: SimilarityWarp = { a: 0, b: 0, tx: 0, ty: 0 };

export function warpScale(warp: SimilarityWarp): number {
  return Math.hypot(1 + warp.a, warp.b);
}

export function warpRotationDegrees(warp: SimilarityWarp): number {
  return (Math.atan2(warp.b, 1 + warp.a) * 180) / Math.PI;
}

/** The warp from image to template: x = M⁻¹(x' − t) with M = [[1+a, −b], [b, 1+a]]. */
export function invertWarp(warp: SimilarityWarp): SimilarityWarp {
  const p = 1 + warp.a;
  const det = p * p + warp.b * warp.b;
  const inverseP = p / det;
  const inverseB = -warp.b / det;
  return {
    a: inverseP - 1,
    b: inverseB,
    tx: -(inverseP * warp.tx - inverseB * warp.ty),
    ty: -(inverseB * warp.tx + inverseP * warp.ty),
  };
}

/** Template pixels that land inside the image, paired with what they land on. Buffers are reused. */
export interface WarpedSamples {
  count: number;
  /** Template value, image value, image gradient (per image pixel) and template position, per sample. */
  readonly template: Float32Array;
  readonly image: Float32Array;
  readonly imageGx: Float32Array;
  readonly imageGy: Float32Array;
  readonly templateIndex: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Fraction of the template that lands inside the image. */
  templateCoverage: number;
  /** Fraction of the image covered by the template's footprint. */
  imageCoverage: number;
}

export function createSamples(capacity: number): WarpedSamples {
  return {
    count: 0,
    template: new Float32Array(capacity),
    image: new Float32Array(capacity),
    imageGx: new Float32Array(capacity),
    imageGy: new Float32Array(capacity),
    templateIndex: new Int32Array(capacity),
    x: new Float32Array(capacity),
    y: new Float32Array(capacity),
    templateCoverage: 0,
    imageCoverage: 0,
  };
}

/**
 * Samples the image (bilinear) under every template pixel; pixels landing off the image are skipped.
 * Image coordinates are affine in the template's column, so they advance by a constant per pixel.
 */
export function sampleUnderWarp(
  template: LevelGrid,
  image: LevelGrid,
  warp: SimilarityWarp,
  out: WarpedSamples,
): WarpedSamples {
  const n = template.size;
  const m = image.size;
  const scale = 1 + warp.a;
  const { data, gx, gy } = image;
  const last = m - 1;
  // Physical template x per column and image pixel coordinates per physical unit.
  const stepX = template.aspect / n;
  const toImageX = m / image.aspect;
  const columnStepX = scale * stepX * toImageX;
  const columnStepY = warp.b * stepX * m;
  let count = 0;
  for (let row = 0; row < n; row++) {
    const y = (row + 0.5) / n - 0.5;
    const x0 = (0.5 / n - 0.5) * template.aspect;
    let ix = ((scale * x0 - warp.b * y + warp.tx) / image.aspect + 0.5) * m - 0.5;
    let iy = (warp.b * x0 + scale * y + warp.ty + 0.5) * m - 0.5;
    for (let column = 0; column < n; column++, ix += columnStepX, iy += columnStepY) {
      if (!(ix >= -0.5 && iy >= -0.5 && ix <= m - 0.5 && iy <= m - 0.5)) continue;
      // Bilinear weights, clamped at the border, shared by the value and both gradients.
      const cx = ix < 0 ? 0 : ix > last ? last : ix;
      const cy = iy < 0 ? 0 : iy > last ? last : iy;
      const left = cx >= last ? last - 1 : cx | 0;
      const top = cy >= last ? last - 1 : cy | 0;
      const dx = cx - left;
      const dy = cy - top;
      const i00 = top * m + left;
      const i10 = i00 + m;
      const w00 = (1 - dx) * (1 - dy);
      const w01 = dx * (1 - dy);
      const w10 = (1 - dx) * dy;
      const w11 = dx * dy;
      out.image[count] =
        (data[i00] as number) * w00 +
        (data[i00 + 1] as number) * w01 +
        (data[i10] as number) * w10 +
        (data[i10 + 1] as number) * w11;
      out.imageGx[count] =
        (gx[i00] as number) * w00 +
        (gx[i00 + 1] as number) * w01 +
        (gx[i10] as number) * w10 +
        (gx[i10 + 1] as number) * w11;
      out.imageGy[count] =
        (gy[i00] as number) * w00 +
        (gy[i00 + 1] as number) * w01 +
        (gy[i10] as number) * w10 +
        (gy[i10 + 1] as number) * w11;
      const index = row * n + column;
      out.template[count] = template.data[index] as number;
      out.templateIndex[count] = index;
      out.x[count] = x0 + column * stepX;
      out.y[count] = y;
      count++;
    }
  }
  out.count = count;
  out.templateCoverage = count / (n * n);
  const footprint = out.templateCoverage * warpScale(warp) ** 2 * template.aspect;
  out.imageCoverage = Math.min(1, footprint / image.aspect);
  return out;
}

/** ZNCC of the sampled pairs; 0 when either side is flat. */
export function sampledZncc(samples: WarpedSamples): number {
  const { template: t, image: v, count } = samples;
  if (count < 2) return 0;
  let sumT = 0;
  let sumV = 0;
  for (let i = 0; i < count; i++) {
    sumT += t[i] as number;
    sumV += v[i] as number;
  }
  const meanT = sumT / count;
  const meanV = sumV / count;
  let tv = 0;
  let tt = 0;
  let vv = 0;
  for (let i = 0; i < count; i++) {
    const zt = (t[i] as number) - meanT;
    const zv = (v[i] as number) - meanV;
    tv += zt * zv;
    tt += zt * zt;
    vv += zv * zv;
  }
  return tt > 0 && vv > 0 ? tv / Math.sqrt(tt * vv) : 0;
}
