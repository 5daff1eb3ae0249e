import { describe, expect, it } from 'vitest';
import {
  classifyPair,
  computeSignatureSet,
  verifyPair,
  type DihedralTransform,
  type SignatureSet,
} from '../../../src/domain/near-duplicate/index.js';
import {
  addNoise,
  blur,
  caption,
  crop,
  drawScene,
  mapValues,
  mirror,
  resize,
  rotate90,
  straighten,
  toGray,
  type Plane,
} from './synthetic-images.js';

const original = drawScene(7);
const originalSet = computeSignatureSet(toGray(original));
const signature = (plane: Plane): SignatureSet => computeSignatureSet(toGray(plane));

describe('verifyPair: edits of the same picture are duplicates', () => {
  const edits: [name: string, edit: (p: Plane) => Plane, hint?: DihedralTransform][] = [
    ['5% crop, off-centre', (p) => crop(p, 0.95, 0.2, 0.8)],
    ['10% crop in a corner', (p) => crop(p, 0.9, 1, 0)],
    ['straightened by 2°', (p) => straighten(p, 2)],
    ['straightened by −5°', (p) => straighten(p, -5)],
    ['brightness +10%', (p) => mapValues(p, (v) => v * 1.1)],
    ['brightness −10%', (p) => mapValues(p, (v) => v * 0.9 - 5)],
    ['contrast +20%', (p) => mapValues(p, (v) => 128 + (v - 128) * 1.2)],
    ['half size', (p) => resize(p, 240, 180)],
    ['rotated 90° clockwise', rotate90, 'rotate270'],
    ['mirrored', mirror, 'mirror'],
    ['sensor-like noise', (p) => addNoise(p, 12, 3)],
    ['softened (resize/recompression blur)', (p) => blur(blur(p))],
    ['caption overlay', caption],
  ];

  it.each(edits)('%s', (_, edit, hint) => {
    const verification = verifyPair(originalSet, signature(edit(original)), hint);
    expect(verification.score).toBeGreaterThan(0.95);
    expect(classifyPair(verification.score)).toBe('duplicate');
  });

  it('finds a quarter turn without a hint and reports it', () => {
    const verification = verifyPair(originalSet, signature(rotate90(original)));
    expect(verification.transform).toBe('rotate270');
    expect(verification.score).toBeGreaterThan(0.99);
  });

  it('measures the crop and the straightening angle', () => {
    const cropped = verifyPair(originalSet, signature(crop(original, 0.9, 0.5, 0.5)));
    expect(cropped.scale).toBeCloseTo(1 / 0.9, 1);
    expect(cropped.overlap).toBeCloseTo(0.81, 1);
    const straightened = verifyPair(originalSet, signature(straighten(original, 4)));
    expect(Math.abs(straightened.rotationDegrees)).toBeCloseTo(4, 0);
  });

  it('is symmetric enough that the order of the pair does not change the tier', () => {
    const edited = signature(crop(straighten(original, 3), 0.93, 0.3, 0.6));
    const forward = verifyPair(originalSet, edited).score;
    const backward = verifyPair(edited, originalSet).score;
    expect(Math.abs(forward - backward)).toBeLessThan(0.02);
    expect(classifyPair(forward)).toBe(classifyPair(backward));
  });

  it('scores a picture against itself as 1', () => {
    expect(verifyPair(originalSet, originalSet).score).toBeCloseTo(1, 3);
  });
});

describe('verifyPair: different pictures stay apart', () => {
  it('an unrelated picture is different', () => {
    const verification = verifyPair(originalSet, signature(drawScene(8)));
    expect(classifyPair(verification.score)).toBe('different');
  });

  it('another capture of the scene (objects moved) is at most similar', () => {
    const moved = verifyPair(originalSet, signature(drawScene(7, 480, 360, 0.12)));
    expect(moved.score).toBeLessThan(0.92);
  });

  it('a crop keeping under half of the picture is not a duplicate', () => {
    const half = verifyPair(originalSet, signature(crop(original, 0.55, 0, 0.5)));
    expect(classifyPair(half.score)).not.toBe('duplicate');
  });

  it('two disjoint halves of one picture are different', () => {
    const left = signature(crop(original, 0.5, 0, 0.5));
    const right = signature(crop(original, 0.5, 1, 0.5));
    expect(classifyPair(verifyPair(left, right).score)).toBe('different');
  });
});

describe('verifyPair: grayscale', () => {
  it('a grayscale export matches its colour original (luma formulas differ)', () => {
    // Colour channels built from the scene; the original's luma is Rec. 601, the export's Rec. 709.
    const red = original.data;
    const green = drawScene(7).data.map((v, i) => v * 0.8 + (i % 480) * 0.1);
    const blue = original.data.map((v) => 255 - v);
    const luma = (wr: number, wg: number, wb: number): Plane =>
      mapValues(original, (_, i) => wr * (red[i] ?? 0) + wg * (green[i] ?? 0) + wb * (blue[i] ?? 0));
    const rec601 = signature(luma(0.299, 0.587, 0.114));
    const rec709 = signature(luma(0.2126, 0.7152, 0.0722));
    expect(classifyPair(verifyPair(rec601, rec709).score)).toBe('duplicate');
  });
});

describe('verifyPair: degenerate pictures', () => {
  it('handles flat and tiny pictures without NaN', () => {
    const flat = computeSignatureSet({ width: 64, height: 48, data: new Uint8Array(64 * 48).fill(90) });
    const tiny = computeSignatureSet({
      width: 3,
      height: 2,
      data: Uint8Array.from([0, 50, 100, 150, 200, 250]),
    });
    for (const [a, b] of [
      [flat, flat],
      [flat, originalSet],
      [tiny, tiny],
      [tiny, originalSet],
    ] as const) {
      const { score } = verifyPair(a, b);
      expect(Number.isFinite(score)).toBe(true);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    // A featureless frame carries no evidence of being any particular picture.
    expect(classifyPair(verifyPair(flat, originalSet).score)).toBe('different');
  });
});
