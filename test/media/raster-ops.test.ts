import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { blockMeans, orientRaster, resizeLuma, toLuma, type Raster } from '../../src/media/raster-ops.js';
import { scenePng } from './fixtures.js';

describe('orientRaster', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'matches libvips auto-orientation for EXIF orientation %i',
    async (orientation) => {
      const jpeg = await sharp(await scenePng(61, 64, 40))
        .jpeg()
        .withMetadata({ orientation })
        .toBuffer();
      const stored = await sharp(jpeg, { autoOrient: false }).raw().toBuffer({ resolveWithObject: true });
      const upright = await sharp(jpeg, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
      const raster: Raster = {
        data: stored.data,
        width: stored.info.width,
        height: stored.info.height,
        channels: 3,
      };
      const oriented = orientRaster(raster, orientation);
      expect([oriented.width, oriented.height]).toEqual([upright.info.width, upright.info.height]);
      expect(Buffer.from(oriented.data).equals(upright.data)).toBe(true);
    },
  );
});

describe('luma helpers', () => {
  it('converts RGB and gray rasters to Rec. 601 luma', () => {
    const rgb: Raster = {
      data: Uint8Array.from([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]),
      width: 4,
      height: 1,
      channels: 3,
    };
    expect([...toLuma(rgb).data]).toEqual([255, 76, 149, 28]);
    const grayAlpha: Raster = { data: Uint8Array.from([10, 255, 20, 0]), width: 2, height: 1, channels: 2 };
    expect([...toLuma(grayAlpha).data]).toEqual([10, 20]);
  });

  it('averages blocks exactly for integer ratios and copes with uneven ones', () => {
    const data = new Uint8Array(64 * 48);
    for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) data[y * 64 + x] = x < 32 ? 0 : 200;
    const means = blockMeans({ data, width: 64, height: 48 }, 32);
    expect(means[0]).toBe(0);
    expect(means[31]).toBe(200);
    const uneven = blockMeans({ data, width: 64, height: 47 }, 32);
    expect(uneven.every((v) => v === 0 || v === 200)).toBe(true);
  });

  it('enlarges planes smaller than the grid instead of leaving empty blocks', () => {
    const tiny = blockMeans({ data: Uint8Array.from([50, 150]), width: 2, height: 1 }, 32);
    expect(tiny.every((v) => v >= 50 && v <= 150)).toBe(true);
  });

  it('area-averages when shrinking and keeps the mean', () => {
    const data = Uint8Array.from({ length: 100 * 100 }, (_, i) => (i % 2) * 200);
    const small = resizeLuma({ data, width: 100, height: 100 }, 30, 30);
    expect(small.width).toBe(30);
    const mean = small.data.reduce((a, b) => a + b, 0) / small.data.length;
    expect(mean).toBeCloseTo(100, 0);
  });
});
