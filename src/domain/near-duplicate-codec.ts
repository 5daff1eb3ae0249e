import { DIHEDRAL_TRANSFORMS, type DihedralTransform } from './near-duplicate/dihedral.js';
import type { GrayImage } from './near-duplicate/gray-image.js';
import {
  computeSignatureSet,
  HASH_KINDS,
  VERIFY_GRID,
  type HashKind,
  type SignatureSet,
} from './near-duplicate/signature-set.js';
import { verifyPair } from './near-duplicate/verify-pair.js';
import type { SignatureCodec } from './signature-codec.js';

/**
 * Storage and search plan of the near-duplicate signatures (see docs/SIGNATURES.md):
 * each picture is filed under its upright `full` and `centre` hashes; it probes both indexes with
 * all 8 dihedral variants of both hashes, so a 90° turn, a mirror or a crop (the centre of a picture
 * resembles the whole of its crop) is found; every candidate is then verified on the 48×48 grids.
 */

/** Hamming radius of the candidate search, in bits of 64. Loose on purpose: verification decides. */
export const NEAR_DUPLICATE_PROBE_RADIUS = 12;
export const NEAR_DUPLICATE_MAX_RADIUS = NEAR_DUPLICATE_PROBE_RADIUS;

const FORMAT_VERSION = 1;
const HASH_BYTES = 8;
const HASH_COUNT = HASH_KINDS.length * DIHEDRAL_TRANSFORMS.length;
const GRID_BYTES = VERIFY_GRID * VERIFY_GRID;
/** version (1) + aspect (float32) + hashes + grid: 2,437 bytes per picture. */
export const ENCODED_SIGNATURE_BYTES = 1 + 4 + HASH_COUNT * HASH_BYTES + GRID_BYTES;

export function encodeSignatureSet(set: SignatureSet): Buffer {
  const out = Buffer.alloc(ENCODED_SIGNATURE_BYTES);
  out.writeUInt8(FORMAT_VERSION, 0);
  out.writeFloatLE(set.aspect, 1);
  let offset = 5;
  for (const kind of HASH_KINDS)
    for (const t of DIHEDRAL_TRANSFORMS) {
      out.write(set.hashes[kind][t], offset, HASH_BYTES, 'hex');
      offset += HASH_BYTES;
    }
  out.set(set.grid, offset);
  return out;
}

export class SignatureFormatError extends Error {}

export function decodeSignatureSet(raw: Uint8Array): SignatureSet {
  // PGlite hands bytea back as a plain Uint8Array, pg as a Buffer.
  const stored = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (stored.length !== ENCODED_SIGNATURE_BYTES || stored.readUInt8(0) !== FORMAT_VERSION)
    throw new SignatureFormatError(
      `Unrecognised signature record (${stored.length} bytes); re-ingest the asset.`,
    );
  let offset = 5;
  const hashes = {} as Record<HashKind, Record<DihedralTransform, string>>;
  for (const kind of HASH_KINDS) {
    const perTransform = {} as Record<DihedralTransform, string>;
    for (const t of DIHEDRAL_TRANSFORMS) {
      perTransform[t] = stored.toString('hex', offset, offset + HASH_BYTES);
      offset += HASH_BYTES;
    }
    hashes[kind] = perTransform;
  }
  const grid = new Uint8Array(stored.subarray(offset, offset + GRID_BYTES));
  return { aspect: stored.readFloatLE(1), hashes, grid };
}

/** Signatures of an upright luminance plane, encoded for storage (called once per ingested picture). */
export function encodeSignatures(luma: GrayImage): Buffer {
  return encodeSignatureSet(computeSignatureSet(luma));
}

export const nearDuplicateCodec: SignatureCodec<SignatureSet> = {
  decode: decodeSignatureSet,
  keys: (s) => HASH_KINDS.map((kind) => ({ index: kind, hex: s.hashes[kind].identity })),
  probes: (s) =>
    HASH_KINDS.flatMap((kind) =>
      DIHEDRAL_TRANSFORMS.flatMap((t) =>
        HASH_KINDS.map((index) => ({ index, hex: s.hashes[kind][t], radius: NEAR_DUPLICATE_PROBE_RADIUS })),
      ),
    ),
  verify: (a, b) => {
    const v = verifyPair(a, b);
    return { score: v.score, transform: v.transform };
  },
};
