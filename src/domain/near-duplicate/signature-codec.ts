import { DIHEDRAL_TRANSFORMS, type DihedralTransform } from './dihedral.js';
import { COLOUR_GRID_BYTES } from './colour-grid.js';
import { HASH_KINDS, VERIFY_GRID, type HashKind, type SignatureSet } from './signature-set.js';

/**
 * Storage form of a signature set: 2,438 bytes, fixed layout, little-endian.
 *   0      u8       format version (1)
 *   1      u8       grid side (48)
 *   2..5   f32      aspect ratio (width / height)
 *   6..    8 bytes  per hash kind (HASH_KINDS order), per dihedral transform (DIHEDRAL_TRANSFORMS
 *                   order): the 64-bit hash, most significant byte first (the hex string's bytes)
 *   ...    side²    the verification grid, row-major
 * All eight dihedral hashes are stored so that turning on mirror probes later needs no re-decode.
 * Format 2 (2,470 bytes) appends the colour grid (COLOUR_GRID_BYTES signed bytes, colour-grid.ts);
 * format 1 buffers (no colour) still decode, without `colour`.
 */

export const SIGNATURE_FORMAT_VERSION = 2;
const HEADER_BYTES = 6;
const HASH_BYTES = 8;
const HASHES_BYTES = HASH_KINDS.length * DIHEDRAL_TRANSFORMS.length * HASH_BYTES;

const FORMAT_1_BYTES = HEADER_BYTES + HASHES_BYTES + VERIFY_GRID * VERIFY_GRID;
/** Bytes per picture in storage. */
export const ENCODED_SIGNATURE_BYTES = FORMAT_1_BYTES + COLOUR_GRID_BYTES;

export function encodeSignatureSet(set: SignatureSet): Buffer {
  if (set.grid.length !== VERIFY_GRID * VERIFY_GRID) {
    throw new RangeError(`A signature grid has ${VERIFY_GRID * VERIFY_GRID} bytes, got ${set.grid.length}`);
  }
  const out = Buffer.alloc(ENCODED_SIGNATURE_BYTES);
  out.writeUInt8(SIGNATURE_FORMAT_VERSION, 0);
  out.writeUInt8(VERIFY_GRID, 1);
  out.writeFloatLE(set.aspect, 2);
  let offset = HEADER_BYTES;
  for (const kind of HASH_KINDS) {
    for (const transform of DIHEDRAL_TRANSFORMS) {
      out.write(set.hashes[kind][transform], offset, HASH_BYTES, 'hex');
      offset += HASH_BYTES;
    }
  }
  out.set(set.grid, offset);
  // A gray source (or a caller without colour) stores a neutral grid: nothing re-coloured.
  if (set.colour)
    out.set(new Uint8Array(set.colour.buffer, set.colour.byteOffset, COLOUR_GRID_BYTES), FORMAT_1_BYTES);
  return out;
}

/** Inverse of encodeSignatureSet; throws a RangeError on a foreign or damaged buffer. */
export function decodeSignatureSet(bytes: Uint8Array): SignatureSet {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = buffer.readUInt8(0);
  const expected = version === 1 ? FORMAT_1_BYTES : ENCODED_SIGNATURE_BYTES;
  if (buffer.length !== expected) {
    throw new RangeError(`A signature set has ${expected} bytes, got ${buffer.length}`);
  }
  if ((version !== 1 && version !== SIGNATURE_FORMAT_VERSION) || buffer.readUInt8(1) !== VERIFY_GRID) {
    throw new RangeError(`Unknown signature format ${version}/${buffer.readUInt8(1)}`);
  }
  const aspect = buffer.readFloatLE(2);
  if (!(aspect > 0 && Number.isFinite(aspect))) throw new RangeError(`Bad aspect ratio ${aspect}`);
  let offset = HEADER_BYTES;
  const hashes = {} as Record<HashKind, Record<DihedralTransform, string>>;
  for (const kind of HASH_KINDS) {
    const byTransform = {} as Record<DihedralTransform, string>;
    for (const transform of DIHEDRAL_TRANSFORMS) {
      byTransform[transform] = buffer.toString('hex', offset, offset + HASH_BYTES);
      offset += HASH_BYTES;
    }
    hashes[kind] = byTransform;
  }
  const grid = Uint8Array.from(buffer.subarray(offset, offset + VERIFY_GRID * VERIFY_GRID));
  if (version === 1) return { aspect, hashes, grid };
  const colour = Int8Array.from(
    new Int8Array(buffer.buffer, buffer.byteOffset + FORMAT_1_BYTES, COLOUR_GRID_BYTES),
  );
  return { aspect, hashes, grid, colour };
}
