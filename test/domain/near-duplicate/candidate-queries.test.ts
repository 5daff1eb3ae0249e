import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_RADIUS_BITS,
  candidateQueries,
  computeSignatureSet,
  indexedHashes,
  verifyPair,
  type SignatureSet,
} from '../../../src/domain/near-duplicate/index.js';
import { hammingDistanceHex } from '../../../src/domain/phash.js';
import { crop, drawScene, mirror, rotate90, straighten, toGray, type Plane } from './synthetic-images.js';

const original = drawScene(21);
const originalSet = computeSignatureSet(toGray(original));

/** The probes of `query` that hit `indexed` (as a Hamming index would report them). */
function hits(
  indexed: SignatureSet,
  query: SignatureSet,
  mirrors = false,
): ReturnType<typeof candidateQueries> {
  const stored = indexedHashes(indexed);
  return candidateQueries(query, { mirrors }).filter(
    (probe) => hammingDistanceHex(stored[probe.index], probe.hash) <= probe.radius,
  );
}

describe('candidateQueries', () => {
  it('probes the four quarter turns in both indexes (12 probes), 24 with mirrors', () => {
    expect(candidateQueries(originalSet)).toHaveLength(12);
    expect(candidateQueries(originalSet, { mirrors: true })).toHaveLength(24);
    expect(candidateQueries(originalSet).every((probe) => probe.radius === CANDIDATE_RADIUS_BITS)).toBe(true);
  });

  it.each<[string, (p: Plane) => Plane]>([
    ['itself', (p) => p],
    ['a 90° turn', rotate90],
    ['an 8% crop', (p) => crop(p, 0.92, 0.4, 0.6)],
    ['a 4° straighten', (p) => straighten(p, 4)],
  ])('finds %s, and the hit transform verifies it as a duplicate', (_, edit) => {
    const edited = computeSignatureSet(toGray(edit(original)));
    const found = hits(originalSet, edited);
    expect(found.length).toBeGreaterThan(0);
    const best = Math.max(...found.map((probe) => verifyPair(originalSet, edited, probe.transform).score));
    expect(best).toBeGreaterThan(0.95);
  });

  it('finds a mirrored copy only when mirrors are probed', () => {
    const mirrored = computeSignatureSet(toGray(mirror(original)));
    expect(hits(originalSet, mirrored, true).some((probe) => probe.transform === 'mirror')).toBe(true);
    expect(hits(originalSet, mirrored, false).some((probe) => probe.transform === 'mirror')).toBe(false);
  });

  it('does not find an unrelated picture', () => {
    expect(hits(originalSet, computeSignatureSet(toGray(drawScene(22))))).toHaveLength(0);
  });

  it('rejects a radius the index cannot take', () => {
    expect(() => candidateQueries(originalSet, { radius: 40 })).toThrow(RangeError);
  });
});
