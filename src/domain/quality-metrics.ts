/** How a file decoded. `truncated`/`corrupted` files score 0 in quality scoring. */
export type DecodeIntegrity = 'ok' | 'truncated' | 'corrupted';

/** Raw measurements from which the quality score (0–100) is derived; computed on a normalised size. */
export interface QualityMetrics {
  /** Variance of the Laplacian of the luminance at the normalised size (higher = sharper). */
  laplacianVariance: number;
  /** Mean luminance 0..255. */
  meanLuminance: number;
  /** Fraction of pixels at or below the shadow clip level (0..1). */
  clippedShadows: number;
  /** Fraction of pixels at or above the highlight clip level (0..1). */
  clippedHighlights: number;
  integrity: DecodeIntegrity;
  /**
   * Sharpness of the best-focused region: the largest mean squared Laplacian of any 32×32 tile of the
   * plane halved once (≈ 64 px of the normalised picture), × 1000 ÷ the picture's luminance range
   * (p99 − p1)². Contrast-free (fog, snow and a dim scene keep their value) and judged on the subject,
   * not the frame (a sharp bird on a blurred background is sharp). Absent on metrics stored before it
   * existed.
   */
  focusDetail?: number;
  /**
   * The same measure for the median tile: how detailed the picture is as a whole. Relative judgement
   * compares it between near-identical pictures (a watermark sharpens one tile, not the median).
   */
  medianDetail?: number;
  /**
   * The same measure on the picture reduced 8× (a 64 px thumbnail): whether it has structure at all.
   * Below the threshold, the picture is featureless (a plain wall, an empty sky, mist) and "very
   * blurry" is not said of it. Absent on metrics stored before it existed.
   */
  coarseDetail?: number;
  /** Luminance percentiles 0..255 of the picture: darkest 0.1 % and 1 %, brightest 1 % and 0.1 %. */
  lumaP01?: number;
  lumaP1?: number;
  lumaP99?: number;
  lumaP999?: number;
}
