import type { WarpedSamples } from './alignment.js';

/**
 * Which samples an ECC step may use. A sample is an outlier when its standardised residual (template and
 * image each scaled to zero mean and unit variance, so no alignment-dependent gain is needed) exceeds
 * OUTLIER_CUTOFF × the RMS residual. The second round standardises on the first round's inliers, so a
 * caption or watermark does not inflate the statistics and hide itself.
 *
 * For standardised signals the mean squared residual is 2 − 2ρ (ρ their correlation), so each round
 * needs one pass of sums, and the final test is cheap enough to run inside the caller's own loop.
 */

const OUTLIER_CUTOFF = 2.5;

/** A sample i is an inlier when ((t − meanT)·scaleT − (v − meanV)·scaleV)² ≤ limit. */
export interface InlierTest {
  readonly meanT: number;
  readonly scaleT: number;
  readonly meanV: number;
  readonly scaleV: number;
  readonly limit: number;
}

export function inlierTest(samples: WarpedSamples): InlierTest {
  const { count, template: t, image: v } = samples;
  // Round 1: statistics of all samples.
  let sumT = 0;
  let sumV = 0;
  let sumTT = 0;
  let sumVV = 0;
  let sumTV = 0;
  for (let i = 0; i < count; i++) {
    const tv = t[i] as number;
    const vv = v[i] as number;
    sumT += tv;
    sumV += vv;
    sumTT += tv * tv;
    sumVV += vv * vv;
    sumTV += tv * vv;
  }
  const first = standardisation(count, sumT, sumV, sumTT, sumVV, sumTV);
  // Round 2: statistics of round 1's inliers.
  let kept = 0;
  sumT = sumV = sumTT = sumVV = sumTV = 0;
  for (let i = 0; i < count; i++) {
    const tv = t[i] as number;
    const vv = v[i] as number;
    const r = (tv - first.meanT) * first.scaleT - (vv - first.meanV) * first.scaleV;
    if (r * r > first.limit) continue;
    kept++;
    sumT += tv;
    sumV += vv;
    sumTT += tv * tv;
    sumVV += vv * vv;
    sumTV += tv * vv;
  }
  return kept > 1 ? standardisation(kept, sumT, sumV, sumTT, sumVV, sumTV) : first;
}

function standardisation(
  n: number,
  sumT: number,
  sumV: number,
  sumTT: number,
  sumVV: number,
  sumTV: number,
): InlierTest {
  const meanT = sumT / n;
  const meanV = sumV / n;
  const varianceT = sumTT / n - meanT * meanT;
  const varianceV = sumVV / n - meanV * meanV;
  const scaleT = varianceT > 0 ? 1 / Math.sqrt(varianceT) : 0;
  const scaleV = varianceV > 0 ? 1 / Math.sqrt(varianceV) : 0;
  const covariance = sumTV / n - meanT * meanV;
  // Mean squared standardised residual: 1 + 1 − 2ρ (each side contributes 0 when flat).
  const meanSquare = Math.max(
    0,
    (scaleT > 0 ? 1 : 0) + (scaleV > 0 ? 1 : 0) - 2 * covariance * scaleT * scaleV,
  );
  return { meanT, scaleT, meanV, scaleV, limit: OUTLIER_CUTOFF * OUTLIER_CUTOFF * meanSquare };
}
