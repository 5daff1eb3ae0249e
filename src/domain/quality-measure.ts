import type { DecodeIntegrity, QualityMetrics } from './quality-metrics.js';

/**
 * Raw quality measurements on a luminance plane. The caller must hand in the plane at the normalised
 * size (long edge QUALITY_LONG_EDGE): Laplacian variance depends strongly on scale, so only values
 * measured at one size are comparable between photos.
 */
export const QUALITY_LONG_EDGE = 512;
export const SHADOW_CLIP_LEVEL = 5;
export const HIGHLIGHT_CLIP_LEVEL = 250;

export interface LumaPlane {
  /** One 0..255 luminance value per pixel, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

export function measureQuality(luma: LumaPlane, integrity: DecodeIntegrity): QualityMetrics {
  const { data } = luma;
  // A histogram pass is the cheapest way to get mean and clipping fractions together.
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    histogram[value] = (histogram[value] as number) + 1;
  }
  let sum = 0;
  let shadows = 0;
  let highlights = 0;
  for (let value = 0; value < 256; value++) {
    const count = histogram[value] as number;
    sum += value * count;
    if (value <= SHADOW_CLIP_LEVEL) shadows += count;
    if (value >= HIGHLIGHT_CLIP_LEVEL) highlights += count;
  }
  const n = Math.max(1, data.length);
  return {
    laplacianVariance: laplacianVariance(luma),
    meanLuminance: sum / n,
    clippedShadows: shadows / n,
    clippedHighlights: highlights / n,
    integrity,
  };
}

/** Variance of the 4-neighbour Laplacian over interior pixels (0 for planes too small to have any). */
export function laplacianVariance({ data, width, height }: LumaPlane): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSquares = 0;
  for (let y = 1; y < height - 1; y++) {
    // Per-row accumulators and a sliding left/centre pair keep the hot loop to three loads per pixel.
    let rowSum = 0;
    let rowSquares = 0;
    let i = y * width + 1;
    const end = i + width - 2;
    let left = data[i - 1] as number;
    let centre = data[i] as number;
    for (; i < end; i++) {
      const right = data[i + 1] as number;
      const response = left + right + (data[i - width] as number) + (data[i + width] as number) - 4 * centre;
      rowSum += response;
      rowSquares += response * response;
      left = centre;
      centre = right;
    }
    sum += rowSum;
    sumSquares += rowSquares;
  }
  const n = (width - 2) * (height - 2);
  const mean = sum / n;
  return sumSquares / n - mean * mean;
}
