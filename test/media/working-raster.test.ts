import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDecoderWarning } from '../../src/media/decode-picture.js';
import { decodeFloor } from '../../src/media/decode-floor.js';
import { decodeToWorkingRaster, workingSize, WORKING_LONG_EDGE } from '../../src/media/working-raster.js';
import { makeTempDir, sceneJpeg, writeFixture } from './fixtures.js';

describe('workingSize', () => {
  it('scales the long edge to the working size', () => {
    expect(WORKING_LONG_EDGE).toBe(512);
    expect(workingSize(4000, 3000, 250)).toEqual({ width: 512, height: 384 });
    expect(workingSize(3000, 4000, 250)).toEqual({ width: 384, height: 512 });
  });

  it('keeps the short edge at least the thumbnail size, and never enlarges', () => {
    expect(workingSize(6000, 1000, 250)).toEqual({ width: 1500, height: 250 });
    expect(workingSize(300, 200, 250)).toEqual({ width: 300, height: 200 });
    expect(workingSize(600, 500, 250)).toEqual({ width: 512, height: 427 });
  });
});

describe('decodeFloor / decodeToWorkingRaster', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let path: string;

  beforeAll(async () => {
    tmp = await makeTempDir();
    path = await writeFixture(
      tmp.path('floor.jpg'),
      await sharp(await sceneJpeg(71, 4000, 3000))
        .withMetadata({ orientation: 6 })
        .toBuffer(),
    );
  });

  afterAll(async () => {
    await tmp.cleanup();
  });

  it('decodes a 12 MP JPEG to the upright working raster', async () => {
    const decoded = await decodeToWorkingRaster(path, {
      failOn: 'warning',
      autoOrient: true,
      minShortEdge: 250,
    });
    expect(decoded).toMatchObject({ width: 3000, height: 4000, orientation: 6 });
    expect(decoded.raster).toMatchObject({ width: 384, height: 512, channels: 3 });
    expect(decoded.raster.data.length).toBe(384 * 512 * 3);
    await expect(decodeFloor(path)).resolves.toBeUndefined();
  });

  it('rejects what it cannot decode', async () => {
    await expect(decodeFloor(tmp.path('missing.jpg'))).rejects.toThrow();
  });
});

describe('classifyDecoderWarning', () => {
  it.each([
    ['VipsJpeg: premature end of JPEG image', 'truncated'],
    ['VipsJpeg: Corrupt JPEG data: premature end of data segment', 'corrupted'],
    ['VipsJpeg: Corrupt JPEG data: 3 extraneous bytes before marker 0xd9', 'benign'],
    ['VipsJpeg: Corrupt JPEG data: 51 extraneous bytes before marker 0xd3', 'corrupted'],
    ['VipsJpeg: Bogus Huffman table definition', 'corrupted'],
    ['vipspng: libpng read error', 'corrupted'],
    ['gifload_buffer: Unexpected end of GIF source data', 'truncated'],
  ])('%s → %s', (message, verdict) => {
    expect(classifyDecoderWarning(message)).toBe(verdict);
  });
});
