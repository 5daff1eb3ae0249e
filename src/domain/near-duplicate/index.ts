/**
 * Near-duplicate detection, pure: signatures per picture (computeSignatureSet), candidate look-ups for a
 * Hamming index (candidateQueries), precise verification of a candidate pair (verifyPair) and the tier
 * rule (classifyPair). docs/SIGNATURES.md has the measurements behind every default.
 */
export {
  CANDIDATE_RADIUS_BITS,
  candidateQueries,
  indexedHashes,
  type CandidateProbe,
  type CandidateQueryOptions,
} from './candidate-queries.js';
export {
  captureTimesDiffer,
  classifyPair,
  DEFAULT_THRESHOLDS,
  scoreForPercent,
  similarityPercent,
  thresholdsForPercent,
  type PairEvidence,
  type PairTier,
  type TierThresholds,
} from './classify-pair.js';
export {
  DIHEDRAL_TRANSFORMS,
  inverseTransform,
  isDihedralTransform,
  type DihedralTransform,
} from './dihedral.js';
export type { GrayImage } from './gray-image.js';
export {
  colourEdit,
  computeColourGrid,
  COLOUR_EDIT_THRESHOLDS,
  type ColourEdit,
  type ColourRaster,
} from './colour-grid.js';
export { decodeSignatureSet, ENCODED_SIGNATURE_BYTES, encodeSignatureSet } from './signature-codec.js';
export {
  CENTRE_FRACTION,
  computeSignatureSet,
  HASH_KINDS,
  VERIFY_GRID,
  type HashKind,
  type SignatureSet,
} from './signature-set.js';
export { verifyPair, type PairVerification } from './verify-pair.js';
