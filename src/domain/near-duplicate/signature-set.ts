import { dctBand, HASH_GRID, hashFromBand, transformBand } from './dct-hash.js';
import { DIHEDRAL_TRANSFORMS, type DihedralTransform } from './dihedral.js';
import {
  centralRegion,
  fullRegion,
  resampleRegion,
  stretchToBytes,
  type GrayImage,
  type Region,
} from './gray-image.js';

/**
 * Everything near-duplicate detection keeps per picture: 64-bit hashes for finding candidates in a
 * Hamming index, and a small grayscale grid of the whole frame on which each candidate pair is verified.
 */

/** Side of the verification grid: the whole picture squeezed to 48×48 (2,304 bytes). */
export const VERIFY_GRID = 48;

/**
 * Hash kinds, each with its own Hamming index:
 * - `full`: DCT hash of the whole frame — recompression, resize, format, brightness, grayscale, text.
 * - `centre`: DCT hash of the central CENTRE_FRACTION of the frame. A picture cropped by ≈10% looks like
 *   the centre of its original, so probing one kind's index with the other kind's hash finds crops and
 *   the "straighten" edit (a 2–5° rotation zoomed to hide the corners), which move the full-frame hash.
 */
export const HASH_KINDS = ['full', 'centre'] as const;
export type HashKind = (typeof HASH_KINDS)[number];
export const CENTRE_FRACTION = 0.9;

export interface SignatureSet {
  /** Width / height of the upright picture. */
  readonly aspect: number;
  /** Per kind, the hash of each dihedral variant of the picture (16 hex digits); `identity` is indexed. */
  readonly hashes: Readonly<Record<HashKind, Readonly<Record<DihedralTransform, string>>>>;
  /** VERIFY_GRID² bytes, row-major, the whole frame stretched to 0..255. */
  readonly grid: Uint8Array;
  /** Coarse chroma grid (colour-grid.ts); absent for gray sources and signatures of format 1. */
  readonly colour?: Int8Array;
}

const REGION_OF: Record<HashKind, (luma: GrayImage) => Region> = {
  full: fullRegion,
  centre: (luma) => centralRegion(luma, CENTRE_FRACTION),
};

/** Computes the signature set of an upright luminance plane (the ingest working raster, any size). */
export function computeSignatureSet(luma: GrayImage, colour?: Int8Array): SignatureSet {
  if (luma.width < 1 || luma.height < 1 || luma.data.length !== luma.width * luma.height) {
    throw new RangeError(`Not a ${luma.width}×${luma.height} gray image (${luma.data.length} samples)`);
  }
  const hashes = Object.fromEntries(
    HASH_KINDS.map((kind) => [
      kind,
      dihedralHashes(resampleRegion(luma, REGION_OF[kind](luma), HASH_GRID, HASH_GRID)),
    ]),
  ) as Record<HashKind, Record<DihedralTransform, string>>;
  const grid = stretchToBytes(resampleRegion(luma, fullRegion(luma), VERIFY_GRID, VERIFY_GRID));
  return { aspect: luma.width / luma.height, hashes, grid, ...(colour ? { colour } : {}) };
}

function dihedralHashes(grid: Float32Array): Record<DihedralTransform, string> {
  const band = dctBand(grid);
  return Object.fromEntries(
    DIHEDRAL_TRANSFORMS.map((transform) => [transform, hashFromBand(transformBand(band, transform))]),
  ) as Record<DihedralTransform, string>;
}
