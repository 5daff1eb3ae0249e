import type { WarpedSamples } from './alignment.js';

/**
 * Which samples an ECC step may use. A sample is an outlier when its standardised residual (template and
 * image each scaled to zero mean and unit variance, so no alignment-dependent gain is needed) exceeds
 * OUTLIER_CUTOFF × the RMS residual. Means, variances and the RMS are taken over the previous round's
 * inliers, so a caption or watermark does not inflate them and hide itself.
 */

const OUTLIER_CUTOFF = 2.5;
const ROUNDS = 2;

/** 1 for inliers, 0 for outliers; the returned buffer is reused by the next call. */
export function inlierWeights(samples: WarpedSamples): Uint8Array {
  const { count, template: t, image: v } = samples;
  const weights = buffers(count).weights.fill(1, 0, count);
  const residuals = buffers(count).residuals;
  for (let round = 0; round < ROUNDS; round++) {
    let kept = 0;
    let sumT = 0;
    let sumV = 0;
    let sumTT = 0;
    let sumVV = 0;
    for (let i = 0; i < count; i++) {
      if (weights[i] === 0) continue;
      const tv = t[i] as number;
      const vv = v[i] as number;
      kept++;
      sumT += tv;
      sumV += vv;
      sumTT += tv * tv;
      sumVV += vv * vv;
    }
    if (kept < 2) break;
    const meanT = sumT / kept;
    const meanV = sumV / kept;
    const varianceT = sumTT / kept - meanT * meanT;
    const varianceV = sumVV / kept - meanV * meanV;
    const scaleT = varianceT > 0 ? 1 / Math.sqrt(varianceT) : 0;
    const scaleV = varianceV > 0 ? 1 / Math.sqrt(varianceV) : 0;
    let squares = 0;
    for (let i = 0; i < count; i++) {
      const r = ((t[i] as number) - meanT) * scaleT - ((v[i] as number) - meanV) * scaleV;
      residuals[i] = r * r;
      if (weights[i] === 1) squares += r * r;
    }
    const limit = OUTLIER_CUTOFF * OUTLIER_CUTOFF * (squares / kept);
    for (let i = 0; i < count; i++) weights[i] = (residuals[i] as number) <= limit ? 1 : 0;
  }
  return weights;
}

let shared = { weights: new Uint8Array(0), residuals: new Float32Array(0) };

function buffers(count: number): typeof shared {
  if (shared.weights.length < count) {
    shared = { weights: new Uint8Array(count), residuals: new Float32Array(count) };
  }
  return shared;
}
