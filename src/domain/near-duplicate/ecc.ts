import { sampleUnderWarp, type LevelGrid, type SimilarityWarp, type WarpedSamples } from './alignment.js';
import { dot4, invert4, multiply4 } from './matrix4.js';
import { inlierTest } from './robust-weights.js';

/**
 * The ECC iteration (see alignment.ts) for the 4-parameter similarity warp, on the robust inliers of
 * each step (robust-weights.ts). Template, image and Jacobian columns are centred on the inliers' mean,
 * which makes each step exactly invariant to an offset between the pictures; ECC's step size λ makes it
 * invariant to gain.
 */

/** Below a hundredth of a pixel (and the matching scale/rotation change) further steps change nothing. */
const CONVERGED_SHIFT_PIXELS = 0.01;
const MIN_SAMPLES = 16;

export function refineWarp(
  template: LevelGrid,
  image: LevelGrid,
  start: SimilarityWarp,
  iterations: number,
  samples: WarpedSamples,
): SimilarityWarp {
  let warp = start;
  for (let iteration = 0; iteration < iterations; iteration++) {
    sampleUnderWarp(template, image, warp, samples);
    const step = eccStep(samples, image);
    if (!step) break;
    warp = { a: warp.a + step[0], b: warp.b + step[1], tx: warp.tx + step[2], ty: warp.ty + step[3] };
    const shift = Math.hypot(step[2], step[3]) + Math.hypot(step[0], step[1]) * 0.5;
    if (shift * image.size < CONVERGED_SHIFT_PIXELS) break;
  }
  return warp;
}

/**
 * Raw moments of one step over its inliers, accumulated in one pass: Σ1, Σt, Σv, Σv², Σtv, then ΣJ, ΣJt, ΣJv
 * (4 each) and the upper triangle of ΣJJᵀ (10), J = ∂(image value)/∂(a, b, tx, ty).
 */
const moments = new Float64Array(27);
const J_SUM = 5;
const JT_SUM = 9;
const JV_SUM = 13;
const JJ_SUM = 17;

/** One robust ECC update (Δa, Δb, Δtx, Δty), or null when the system is degenerate. */
function eccStep(samples: WarpedSamples, image: LevelGrid): [number, number, number, number] | null {
  if (samples.count < MIN_SAMPLES) return null;
  accumulateMoments(samples, image);
  const m = moments;
  const total = m[0] as number;
  if (total < MIN_SAMPLES) return null;
  const sumT = m[1] as number;
  const sumV = m[2] as number;
  // Centred sums from the raw moments: Σ(x − x̄)(y − ȳ) = Σxy − ΣxΣy / n.
  const hessian = new Float64Array(16);
  const projectedT = new Float64Array(4);
  const projectedV = new Float64Array(4);
  let packed = JJ_SUM;
  for (let k = 0; k < 4; k++) {
    const sumJ = m[J_SUM + k] as number;
    projectedT[k] = (m[JT_SUM + k] as number) - (sumJ * sumT) / total;
    projectedV[k] = (m[JV_SUM + k] as number) - (sumJ * sumV) / total;
    for (let l = k; l < 4; l++) {
      const centred = (m[packed++] as number) - (sumJ * (m[J_SUM + l] as number)) / total;
      hessian[k * 4 + l] = centred;
      hessian[l * 4 + k] = centred;
    }
  }
  const normV = (m[3] as number) - (sumV * sumV) / total;
  const dotTV = (m[4] as number) - (sumT * sumV) / total;
  const inverse = invert4(hessian);
  if (!inverse) return null;
  const hInvV = multiply4(inverse, projectedV);
  const denominator = dotTV - dot4(projectedT, hInvV);
  if (denominator <= 0) return null;
  const lambda = (normV - dot4(projectedV, hInvV)) / denominator;
  const error = new Float64Array(4);
  for (let k = 0; k < 4; k++) error[k] = lambda * (projectedT[k] as number) - (projectedV[k] as number);
  const step = multiply4(inverse, error);
  return [step[0] as number, step[1] as number, step[2] as number, step[3] as number];
}

function accumulateMoments(samples: WarpedSamples, image: LevelGrid): void {
  const { count, template: t, image: v, imageGx, imageGy, x: xs, y: ys } = samples;
  const { meanT, scaleT, meanV, scaleV, limit } = inlierTest(samples);
  // Image-pixel gradient → derivative per physical unit along x and y.
  const unitX = image.size / image.aspect;
  const unitY = image.size;
  // Scalar accumulators (unrolled: this loop runs for every pixel of every iteration).
  // prettier-ignore
  let n = 0, st = 0, sv = 0, svv = 0, stv = 0;
  // prettier-ignore
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0;
  // prettier-ignore
  let h00 = 0, h01 = 0, h02 = 0, h03 = 0, h11 = 0, h12 = 0, h13 = 0, h22 = 0, h23 = 0, h33 = 0;
  for (let i = 0; i < count; i++) {
    const tv = t[i] as number;
    const vv = v[i] as number;
    const residual = (tv - meanT) * scaleT - (vv - meanV) * scaleV;
    if (residual * residual > limit) continue;
    const j2 = (imageGx[i] as number) * unitX;
    const j3 = (imageGy[i] as number) * unitY;
    const x = xs[i] as number;
    const y = ys[i] as number;
    const j0 = j2 * x + j3 * y;
    const j1 = j3 * x - j2 * y;
    n++;
    st += tv;
    sv += vv;
    svv += vv * vv;
    stv += tv * vv;
    s0 += j0;
    s1 += j1;
    s2 += j2;
    s3 += j3;
    t0 += j0 * tv;
    t1 += j1 * tv;
    t2 += j2 * tv;
    t3 += j3 * tv;
    v0 += j0 * vv;
    v1 += j1 * vv;
    v2 += j2 * vv;
    v3 += j3 * vv;
    h00 += j0 * j0;
    h01 += j0 * j1;
    h02 += j0 * j2;
    h03 += j0 * j3;
    h11 += j1 * j1;
    h12 += j1 * j2;
    h13 += j1 * j3;
    h22 += j2 * j2;
    h23 += j2 * j3;
    h33 += j3 * j3;
  }
  moments.set([n, st, sv, svv, stv, s0, s1, s2, s3, t0, t1, t2, t3, v0, v1, v2, v3]);
  moments.set([h00, h01, h02, h03, h11, h12, h13, h22, h23, h33], JJ_SUM);
}
