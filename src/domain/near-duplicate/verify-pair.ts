import {
  createSamples,
  IDENTITY_WARP,
  invertWarp,
  sampledZncc,
  sampleUnderWarp,
  warpRotationDegrees,
  warpScale,
  type LevelGrid,
  type SimilarityWarp,
  type WarpedSamples,
} from './alignment.js';
import type { DihedralTransform } from './dihedral.js';
import { refineWarp } from './ecc.js';
import { hammingDistanceHex } from '../phash.js';
import type { SignatureSet } from './signature-set.js';
import { geometryFactor, gradientSimilarity, overlapFactor } from './similarity-score.js';
import { pyramidOf, type Pyramid } from './verification-grid.js';

/**
 * Precise verification of one candidate pair: align the two stored grids (dihedral turn, then scale,
 * rotation and shift by ECC, coarse to fine), then score how well their edges agree (see
 * similarity-score.ts). Scores near 1 mean "the same picture"; see classify-pair.ts for thresholds.
 */

export interface PairVerification {
  /** 0..1; 1 = identical after alignment. */
  readonly score: number;
  /** The dihedral transform that, applied to b, makes it look like a. */
  readonly transform: DihedralTransform;
  /** Size of b's content relative to a's after alignment (>1: b shows the scene larger, e.g. a crop). */
  readonly scale: number;
  /** Rotation of b's content relative to a's, degrees. */
  readonly rotationDegrees: number;
  /** Smaller of the two shares of each picture covered by the other, 0..1. */
  readonly overlap: number;
}

/** ECC iterations per pyramid level, coarsest first (12, 24, 48 px). */
const ITERATIONS = { coarse: 10, middle: 6, fine: 1 } as const;
/** A coarse estimate that moved this far (picture heights) and then aligned worse than WELL_ALIGNED
 * (intensity ZNCC × overlap factor at 24×24) is checked against a start from identity. */
const FAR_FROM_IDENTITY = 0.02;
const WELL_ALIGNED = 0.9;
/** Without a hint, this many dihedral transforms (closest full-frame hashes first) are tried. */
const UNHINTED_TRANSFORMS = 2;

let workspace: WarpedSamples | null = null;

function samplesFor(size: number): WarpedSamples {
  if (!workspace || workspace.template.length < size * size) workspace = createSamples(size * size);
  return workspace;
}

/**
 * Verifies a candidate pair. `hint` is the dihedral transform of b under which the candidate was found
 * (the probe's `transform` from candidateQueries, b being the querying picture). Without it, the two
 * quarter turns whose full-frame hashes are closest are tried (mirrors only ever come from a hint).
 */
export function verifyPair(a: SignatureSet, b: SignatureSet, hint?: DihedralTransform): PairVerification {
  const transforms = hint ? [hint] : transformsByHashDistance(a, b).slice(0, UNHINTED_TRANSFORMS);
  let best: PairVerification | null = null;
  for (const transform of transforms) {
    const verification = verifyUnder(a, b, transform);
    if (!best || verification.score > best.score) best = verification;
  }
  return best as PairVerification;
}

const QUARTER_TURNS: readonly DihedralTransform[] = ['identity', 'rotate90', 'rotate180', 'rotate270'];

/** Quarter turns of b, those whose full-frame hash is closest to a's first. */
export function transformsByHashDistance(a: SignatureSet, b: SignatureSet): DihedralTransform[] {
  const distance = new Map(
    QUARTER_TURNS.map((t) => [t, hammingDistanceHex(a.hashes.full.identity, b.hashes.full[t])]),
  );
  return [...QUARTER_TURNS].sort((x, y) => (distance.get(x) as number) - (distance.get(y) as number));
}

function verifyUnder(a: SignatureSet, b: SignatureSet, transform: DihedralTransform): PairVerification {
  let image = pyramidOf(a, 'identity');
  let template = pyramidOf(b, transform);
  const samples = samplesFor((image[0] as LevelGrid).size);
  let warp = coarseAlignment(template, image, samples);
  let swapped = false;
  if (warpScale(warp) > 1) {
    // Resample the picture that shows the scene larger, so that resampling never decimates (aliasing
    // would lower the score of a crop against its original).
    [image, template] = [template, image];
    warp = invertWarp(warp);
    swapped = true;
  }
  const fineTemplate = template[0] as LevelGrid;
  const fineImage = image[0] as LevelGrid;
  warp = refineWarp(fineTemplate, fineImage, warp, ITERATIONS.fine, samples);
  sampleUnderWarp(fineTemplate, fineImage, warp, samples);
  const bRelativeToA = swapped ? warp : invertWarp(warp);
  const scale = warpScale(bRelativeToA);
  const rotationDegrees = warpRotationDegrees(bRelativeToA);
  const score =
    gradientSimilarity(fineTemplate, fineImage, warp, samples) * geometryFactor(scale, rotationDegrees);
  return {
    score,
    transform,
    scale,
    rotationDegrees,
    overlap: Math.min(samples.templateCoverage, samples.imageCoverage),
  };
}

/**
 * Coarse-to-fine start: ECC on 12×12 from identity, then on 24×24 from that estimate. Pictures with
 * repetitive structure can mislead the 12×12 level, so when that start ends poorly aligned and the
 * estimate had moved far, the 24×24 level also tries identity; the better (intensity ZNCC, penalised for
 * low overlap) wins.
 */
function coarseAlignment(template: Pyramid, image: Pyramid, samples: WarpedSamples): SimilarityWarp {
  const [middleTemplate, middleImage] = [template[1] as LevelGrid, image[1] as LevelGrid];
  const coarse = refineWarp(
    template[2] as LevelGrid,
    image[2] as LevelGrid,
    IDENTITY_WARP,
    ITERATIONS.coarse,
    samples,
  );
  const alignAt24 = (start: SimilarityWarp): { warp: SimilarityWarp; score: number } => {
    const warp = refineWarp(middleTemplate, middleImage, start, ITERATIONS.middle, samples);
    sampleUnderWarp(middleTemplate, middleImage, warp, samples);
    return { warp, score: sampledZncc(samples) * overlapFactor(samples) };
  };
  const fromCoarse = alignAt24(coarse);
  const movedFar = Math.hypot(coarse.a, coarse.b, coarse.tx, coarse.ty) > FAR_FROM_IDENTITY;
  if (!movedFar || fromCoarse.score >= WELL_ALIGNED) return fromCoarse.warp;
  const fromIdentity = alignAt24(IDENTITY_WARP);
  return fromIdentity.score > fromCoarse.score ? fromIdentity.warp : fromCoarse.warp;
}
