import { describe, expect, it } from 'vitest';
import {
  dctBand,
  HASH_GRID,
  hashFromBand,
  transformBand,
} from '../../../src/domain/near-duplicate/dct-hash.js';
import { transformSquare } from '../../../src/domain/near-duplicate/dihedral.js';
import {
  computeSignatureSet,
  decodeSignatureSet,
  DIHEDRAL_TRANSFORMS,
  ENCODED_SIGNATURE_BYTES,
  encodeSignatureSet,
  VERIFY_GRID,
} from '../../../src/domain/near-duplicate/index.js';
import { fullRegion, resampleRegion } from '../../../src/domain/near-duplicate/gray-image.js';
import { hammingDistanceHex, phashFromGray32 } from '../../../src/domain/phash.js';
import { drawScene, rotate90, toGray } from './synthetic-images.js';

const scene = toGray(drawScene(11, 400, 300));

describe('computeSignatureSet', () => {
  const set = computeSignatureSet(scene);

  it('keeps the aspect ratio, a 48×48 grid using the full 0..255 range, and 16-hex hashes', () => {
    expect(set.aspect).toBeCloseTo(4 / 3, 6);
    expect(set.grid).toHaveLength(VERIFY_GRID * VERIFY_GRID);
    expect(Math.min(...set.grid)).toBe(0);
    expect(Math.max(...set.grid)).toBe(255);
    for (const kind of ['full', 'centre'] as const) {
      for (const transform of DIHEDRAL_TRANSFORMS)
        expect(set.hashes[kind][transform]).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('computes the full-frame hash exactly like the ingest pHash of the same 32×32 grid', () => {
    const grid = resampleRegion(scene, fullRegion(scene), HASH_GRID, HASH_GRID);
    expect(set.hashes.full.identity).toBe(phashFromGray32(grid));
  });

  it('gives the rotated picture the hash it predicted for the rotation', () => {
    const turned = computeSignatureSet(toGray(rotate90(drawScene(11, 400, 300))));
    expect(hammingDistanceHex(turned.hashes.full.identity, set.hashes.full.rotate90)).toBeLessThanOrEqual(2);
  });

  it('rejects a plane whose size does not match its data', () => {
    expect(() => computeSignatureSet({ width: 10, height: 10, data: new Uint8Array(50) })).toThrow(
      RangeError,
    );
  });
});

describe('dihedral DCT band', () => {
  it('equals the DCT of the transformed grid, for all eight transforms', () => {
    const grid = resampleRegion(scene, fullRegion(scene), HASH_GRID, HASH_GRID);
    const band = dctBand(grid);
    for (const transform of DIHEDRAL_TRANSFORMS) {
      const turned = transformSquare(grid, HASH_GRID, transform, new Float32Array(grid.length));
      const expected = dctBand(turned);
      const predicted = transformBand(band, transform);
      predicted.forEach((value, i) => {
        expect(value).toBeCloseTo(expected[i] ?? NaN, 2);
      });
      expect(hashFromBand(predicted)).toBe(phashFromGray32(turned));
    }
  });
});

describe('signature storage', () => {
  it('round-trips through a Buffer of fixed size under 3 KB', () => {
    const set = computeSignatureSet(scene);
    const bytes = encodeSignatureSet(set);
    expect(bytes).toHaveLength(ENCODED_SIGNATURE_BYTES);
    expect(ENCODED_SIGNATURE_BYTES).toBeLessThan(3000);
    const decoded = decodeSignatureSet(bytes);
    expect(decoded.hashes).toEqual(set.hashes);
    expect(decoded.grid).toEqual(set.grid);
    expect(decoded.aspect).toBeCloseTo(set.aspect, 6);
  });

  it('survives base64 and a subarray view', () => {
    const bytes = encodeSignatureSet(computeSignatureSet(scene));
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    const fromBase64 = decodeSignatureSet(Buffer.from(bytes.toString('base64'), 'base64'));
    expect(decodeSignatureSet(padded.subarray(4, 4 + bytes.length))).toEqual(fromBase64);
  });

  it('refuses foreign or truncated data', () => {
    const bytes = encodeSignatureSet(computeSignatureSet(scene));
    expect(() => decodeSignatureSet(bytes.subarray(1))).toThrow(RangeError);
    const wrongVersion = Buffer.from(bytes);
    wrongVersion[0] = 99;
    expect(() => decodeSignatureSet(wrongVersion)).toThrow(RangeError);
  });
});
