import { DIHEDRAL_TRANSFORMS, type DihedralTransform } from './dihedral.js';
import type { HashKind, SignatureSet } from './signature-set.js';

/**
 * Candidate generation: which Hamming-index look-ups find a picture's possible near duplicates.
 *
 * Keep one Hamming index per hash kind, holding `set.hashes[kind].identity` of every picture
 * (indexedHashes). A picture Q's probes then look up, in the named index, the hash of Q turned by each
 * dihedral transform: the full-frame hash in the `full` index (re-encodes, resizes, rotations by 90°…),
 * and crosswise the full-frame hash in the `centre` index and the centre hash in the `full` index (Q is a
 * ≈10% crop of P, or P of Q — crops and "straightened" rotations move the full-frame hash too far).
 * Every hit P within the probe's radius is a candidate pair, to be verified with
 * `verifyPair(P, Q, probe.transform)`.
 *
 * Radius: 12 bits of 64 for every probe. Measured on the real-photo corpus (docs/SIGNATURES.md): 98% of
 * the true variant/original pairs are found, and 1 of 402,000 pairs of unrelated pictures (at 14 bits
 * 2.6·10⁻⁴ of them, at 16 bits 1.6·10⁻³ — at a million pictures, that is what verification pays for).
 * A pair is usually found by several probes and from both sides; deduplicate by pair.
 */

export const CANDIDATE_RADIUS_BITS = 12;

/** The quarter turns: physical 90°/180°/270° rotations and wrong EXIF orientations. */
const ROTATIONS: readonly DihedralTransform[] = ['identity', 'rotate90', 'rotate180', 'rotate270'];

export interface CandidateProbe {
  /** 16 hex digits to look up. */
  readonly hash: string;
  /** The index (hash kind) to search. */
  readonly index: HashKind;
  /** The querying picture turned by this transform matches the hits (the verifyPair hint). */
  readonly transform: DihedralTransform;
  /** Hamming radius in bits. */
  readonly radius: number;
}

export interface CandidateQueryOptions {
  /**
   * Also probe the four mirrored variants. Off by default: mirrored copies are rare, and each extra
   * variant is another chance for two different pictures to line up — on the corpus, the only unrelated
   * pair that verified above the duplicate threshold did so mirrored.
   */
  readonly mirrors?: boolean;
  /** Radius in bits for every probe (default CANDIDATE_RADIUS_BITS). */
  readonly radius?: number;
}

/** What to store in each hash kind's index for this picture. */
export function indexedHashes(set: SignatureSet): Record<HashKind, string> {
  return { full: set.hashes.full.identity, centre: set.hashes.centre.identity };
}

/** The probes of one picture (12 by default, 24 with mirrors). */
export function candidateQueries(set: SignatureSet, options: CandidateQueryOptions = {}): CandidateProbe[] {
  const radius = options.radius ?? CANDIDATE_RADIUS_BITS;
  if (!Number.isInteger(radius) || radius < 0 || radius > 32) {
    throw new RangeError(`A candidate radius is 0..32 bits, got ${radius}`);
  }
  const transforms = options.mirrors ? DIHEDRAL_TRANSFORMS : ROTATIONS;
  return transforms.flatMap((transform): CandidateProbe[] => [
    { hash: set.hashes.full[transform], index: 'full', transform, radius },
    { hash: set.hashes.full[transform], index: 'centre', transform, radius },
    { hash: set.hashes.centre[transform], index: 'full', transform, radius },
  ]);
}
