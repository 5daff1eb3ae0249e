import { describe, expect, it } from 'vitest';
import {
  centralRegion,
  fullRegion,
  resampleRegion,
  stretchToBytes,
  type GrayImage,
  type Region,
} from '../../../src/domain/near-duplicate/gray-image.js';

function image(width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + (i >> 5) * 13) % 256;
  return { width, height, data };
}

/** The definition, spelled out: each cell is the mean of the source weighted by its overlap with the cell. */
function areaMean(img: GrayImage, region: Region, columns: number, rows: number): number[] {
  const overlap = (a0: number, a1: number, b0: number, b1: number) =>
    Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  const cells: number[] = [];
  for (let row = 0; row < rows; row++) {
    const y0 = Math.max(0, region.y + (row * region.height) / rows);
    const y1 = Math.min(img.height, region.y + ((row + 1) * region.height) / rows);
    for (let column = 0; column < columns; column++) {
      const x0 = Math.max(0, region.x + (column * region.width) / columns);
      const x1 = Math.min(img.width, region.x + ((column + 1) * region.width) / columns);
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const w = overlap(x, x + 1, x0, x1) * overlap(y, y + 1, y0, y1);
          sum += (img.data[y * img.width + x] as number) * w;
          area += w;
        }
      }
      cells.push(sum / area);
    }
  }
  return cells;
}

describe('resampleRegion', () => {
  const cases: [string, GrayImage, (img: GrayImage) => Region, number][] = [
    ['a 512×384 frame onto 32×32', image(512, 384), fullRegion, 32],
    ['a 512×384 frame onto 48×48', image(512, 384), fullRegion, 48],
    ['the central 90% of a 333×500 frame', image(333, 500), (img) => centralRegion(img, 0.9), 32],
    ['cells of 1–2 pixels (60×50 onto 48×48)', image(60, 50), fullRegion, 48],
    [
      'a region with fractional edges',
      image(97, 61),
      () => ({ x: 3.3, y: 1.7, width: 71.4, height: 49.2 }),
      32,
    ],
  ];
  it.each(cases)('averages each cell over its exact footprint: %s', (_name, img, regionOf, grid) => {
    const region = regionOf(img);
    const got = resampleRegion(img, region, grid, grid);
    const want = areaMean(img, region, grid, grid);
    expect(got).toHaveLength(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 3);
  });

  it('keeps a uniform picture uniform', () => {
    const flat: GrayImage = { width: 101, height: 77, data: new Uint8Array(101 * 77).fill(173) };
    for (const value of resampleRegion(flat, centralRegion(flat, 0.9), 32, 32))
      expect(value).toBeCloseTo(173, 4);
  });
});

describe('stretchToBytes', () => {
  it('maps the lowest value to 0 and the highest to 255, rounding the rest linearly', () => {
    const bytes = stretchToBytes(Float32Array.from([10, 20, 30, 110]));
    expect(Array.from(bytes)).toEqual([0, 26, 51, 255]);
  });

  it('gives a flat grid all zeros', () => {
    expect(Array.from(stretchToBytes(new Float32Array(4).fill(42)))).toEqual([0, 0, 0, 0]);
  });
});
