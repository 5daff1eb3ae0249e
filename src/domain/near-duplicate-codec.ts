import {
  candidateQueries,
  CANDIDATE_RADIUS_BITS,
  colourEdit,
  computeColourGrid,
  type ColourRaster,
  computeSignatureSet,
  decodeSignatureSet,
  encodeSignatureSet,
  indexedHashes,
  isDihedralTransform,
  scoreForPercent,
  similarityPercent,
  verifyPair,
  type GrayImage,
  type SignatureSet,
} from './near-duplicate/index.js';
import type { SignatureCodec, SimilarityThresholds } from './signature-codec.js';

/**
 * The signature scheme of docs/SIGNATURES.md plugged into the generic search: each picture is filed
 * under its upright `full` and `centre` hashes and probes both indexes with its quarter-turned hashes
 * at 12 bits; every candidate is verified on the 48×48 grids.
 */
export const NEAR_DUPLICATE_MAX_RADIUS = CANDIDATE_RADIUS_BITS;

/**
 * Verification-score thresholds for the user's settings, which are "% similar" (0.95 = 95 %):
 * 95 % maps to score 0.92 and 80 % to 0.60, the calibration of docs/SIGNATURES.md.
 */
export function thresholdsForSettings(duplicateShare: number, similarShare: number): SimilarityThresholds {
  const duplicate = scoreForPercent(duplicateShare * 100);
  return { duplicate, similar: Math.min(duplicate, scoreForPercent(similarShare * 100)) };
}

/** A verification score as the "% similar" users set thresholds in, as a 0..1 share (0.95 = 95 %). */
export function similarityShare(score: number): number {
  return similarityPercent(score) / 100;
}

/**
 * Badge of a near-duplicate or similar group: near duplicates need a quick look (yellow) when every
 * member is at least 98 % similar to the keeper, a closer one (orange) otherwise; similar shots are
 * always a manual choice.
 */
export function nearGroupConfidence(kind: 'near' | 'similar', minScore: number): 'yellow' | 'orange' {
  return kind === 'near' && similarityPercent(minScore) >= 98 ? 'yellow' : 'orange';
}

/**
 * Signatures of an upright luminance plane, encoded for storage (once per ingested picture); with the
 * colour raster it came from, the colour grid that tells a black-and-white or graded edit from a copy.
 */
export function encodeSignatures(luma: GrayImage, colour?: ColourRaster): Buffer {
  return encodeSignatureSet(computeSignatureSet(luma, colour ? computeColourGrid(colour) : undefined));
}

export const nearDuplicateCodec: SignatureCodec<SignatureSet> = {
  decode: decodeSignatureSet,
  keys: (s) => Object.entries(indexedHashes(s)).map(([index, hex]) => ({ index, hex })),
  probes: (s) =>
    candidateQueries(s).map((p) => ({ index: p.index, hex: p.hash, radius: p.radius, hint: p.transform })),
  verify: (a, b, hint) => {
    const v = verifyPair(a, b, hint !== undefined && isDihedralTransform(hint) ? hint : undefined);
    return { score: v.score, transform: v.transform };
  },
  recoloured: (a, b) => colourEdit(a.colour, b.colour),
};
