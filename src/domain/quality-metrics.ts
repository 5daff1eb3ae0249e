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
}
