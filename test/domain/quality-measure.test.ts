import { describe, expect, it } from 'vitest';
import { laplacianVariance, measureQuality, type LumaPlane } from '../../src/domain/quality-measure.js';
import { QUALITY_THRESHOLDS } from '../../src/domain/insights/quality-scoring.js';

function plane(width: number, height: number, f: (x: number, y: number) => number): LumaPlane {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { data, width, height };
}

describe('laplacianVariance', () => {
  it('is 0 on a flat or linear gradient (no second derivative)', () => {
    expect(laplacianVariance(plane(64, 48, () => 90))).toBe(0);
    expect(laplacianVariance(plane(64, 48, (x) => x * 2))).toBeCloseTo(0, 10);
  });

  it('matches a hand-computed value on a checkerboard', () => {
    // Interior responses alternate ±(4·255) on a 0/255 checkerboard → mean 0, variance 1020².
    const board = plane(10, 10, (x, y) => ((x + y) % 2) * 255);
    expect(laplacianVariance(board)).toBeCloseTo(1020 * 1020, 6);
  });

  it('is larger for fine detail than for the same detail blurred', () => {
    const sharp = plane(64, 64, (x, y) => ((Math.floor(x / 2) + Math.floor(y / 2)) % 2 ? 220 : 30));
    const soft = plane(64, 64, (x, y) => 125 + 95 * Math.sin(x / 6) * Math.sin(y / 6));
    expect(laplacianVariance(sharp)).toBeGreaterThan(50 * laplacianVariance(soft));
  });

  it('is 0 for planes too small to have an interior', () => {
    expect(laplacianVariance(plane(2, 50, () => 1))).toBe(0);
  });
});

describe('measureQuality', () => {
  it('reports mean luminance and clipped fractions', () => {
    // 4 pixels: 0 (shadow), 5 (shadow), 250 (highlight), 129.
    const q = measureQuality({ data: Uint8Array.from([0, 5, 250, 129]), width: 2, height: 2 }, 'truncated');
    expect(q.meanLuminance).toBeCloseTo(96, 10);
    expect(q.clippedShadows).toBe(0.5);
    expect(q.clippedHighlights).toBe(0.25);
    expect(q.integrity).toBe('truncated');
  });

  it('counts every pixel once, whatever the plane length modulo 4 (interleaved histogram)', () => {
    for (const [width, height] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [5, 1],
      [7, 3],
      [37, 29],
    ] as const) {
      const p = plane(width, height, (x, y) => (x * 97 + y * 31 + x * y) % 256);
      const values = Array.from(p.data);
      const q = measureQuality(p, 'ok');
      const n = values.length;
      expect(q.meanLuminance).toBeCloseTo(values.reduce((a, b) => a + b, 0) / n, 10);
      expect(q.clippedShadows).toBe(values.filter((v) => v <= 5).length / n);
      expect(q.clippedHighlights).toBe(values.filter((v) => v >= 250).length / n);
    }
  });

  it('says a dark picture is dark', () => {
    const dark = measureQuality(
      plane(32, 32, (x) => x % 8),
      'ok',
    );
    expect(dark.meanLuminance).toBeLessThan(5);
    expect(dark.clippedShadows).toBeGreaterThan(0.7);
  });

  it('tells a featureless picture (coarseDetail low) from a defocused scene (coarseDetail kept)', () => {
    // Deterministic grain, as a sensor leaves on an empty sky.
    const grain = (x: number, y: number) => ((x * 7919 + y * 104729) % 13) - 6;
    const sky = measureQuality(
      plane(512, 384, (x, y) => 90 + (y * 60) / 384 + grain(x, y) / 3),
      'ok',
    );
    // Soft discs on a background: edges spread over ~13 px (10–90 %), as in a defocused photo.
    const disc = (x: number, y: number, cx: number, cy: number) =>
      1 / (1 + Math.exp((Math.hypot(x - cx, y - cy) - 60) / 3));
    const defocused = measureQuality(
      plane(512, 384, (x, y) => 40 + 170 * Math.max(disc(x, y, 130, 120), disc(x, y, 360, 250))),
      'ok',
    );
    const floor = QUALITY_THRESHOLDS.featurelessCoarseDetail;
    expect(sky.coarseDetail).toBeLessThan(floor);
    expect(defocused.coarseDetail).toBeGreaterThan(floor);
    expect(defocused.focusDetail).toBeLessThan(QUALITY_THRESHOLDS.blurryFocusDetail);
  });
});
