import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/domain/phash.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import { decodeBmp } from '../../src/media/bmp-decode.js';
import { makeTempDir, scenePng, writeFixture } from './fixtures.js';

/** Minimal BMP writer: 24-bit bottom-up, 32-bit top-down BI_BITFIELDS with alpha, or 8-bit palette. */
function encodeBmp(
  rgb: Uint8Array,
  width: number,
  height: number,
  layout: '24' | '32-topdown' | '8-palette',
): Buffer {
  const bits = layout === '24' ? 24 : layout === '32-topdown' ? 32 : 8;
  const headerSize = layout === '32-topdown' ? 108 : 40;
  const paletteBytes = bits === 8 ? 256 * 4 : 0;
  const stride = Math.ceil((width * bits) / 32) * 4;
  const pixelOffset = 14 + headerSize + paletteBytes;
  const out = Buffer.alloc(pixelOffset + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(pixelOffset, 10);
  out.writeUInt32LE(headerSize, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(layout === '32-topdown' ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bits, 28);
  if (layout === '32-topdown') {
    out.writeUInt32LE(3, 30); // BI_BITFIELDS
    out.writeUInt32LE(0x00ff0000, 54);
    out.writeUInt32LE(0x0000ff00, 58);
    out.writeUInt32LE(0x000000ff, 62);
    out.writeUInt32LE(0xff000000, 66);
  }
  if (bits === 8) for (let i = 0; i < 256; i++) out.set([i, i, i, 0], 54 + i * 4); // gray palette (B, G, R, 0)
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (layout === '32-topdown' ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = [
        rgb[(y * width + x) * 3]!,
        rgb[(y * width + x) * 3 + 1]!,
        rgb[(y * width + x) * 3 + 2]!,
      ];
      if (bits === 24) out.set([b, g, r], row + x * 3);
      else if (bits === 32) out.set([b, g, r, 255], row + x * 4);
      else out[row + x] = r;
    }
  }
  return out;
}

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let rgb: Buffer;

beforeAll(async () => {
  tmp = await makeTempDir();
  rgb = await sharp(await scenePng(51, 301, 200))
    .removeAlpha()
    .raw()
    .toBuffer();
});

afterAll(async () => {
  await tmp.cleanup();
});

describe('decodeBmp', () => {
  it('decodes 24-bit bottom-up rows exactly (odd width exercises row padding)', () => {
    const raster = decodeBmp(encodeBmp(rgb, 301, 200, '24'));
    expect(raster).toMatchObject({ width: 301, height: 200, channels: 3 });
    expect(Buffer.from(raster!.data).equals(rgb)).toBe(true);
  });

  it('decodes 32-bit top-down bitfields with alpha', () => {
    const raster = decodeBmp(encodeBmp(rgb, 301, 200, '32-topdown'));
    expect(raster).toMatchObject({ width: 301, height: 200, channels: 4 });
    expect([...raster!.data.subarray(0, 4)]).toEqual([rgb[0], rgb[1], rgb[2], 255]);
    const last = (301 * 200 - 1) * 4;
    expect([...raster!.data.subarray(last, last + 3)]).toEqual([...rgb.subarray(rgb.length - 3)]);
  });

  it('decodes 8-bit palette images', () => {
    const raster = decodeBmp(encodeBmp(rgb, 301, 200, '8-palette'));
    expect([...raster!.data.subarray(0, 3)]).toEqual([rgb[0], rgb[0], rgb[0]]);
  });

  it('returns null for truncated or unsupported files', () => {
    const bmp = encodeBmp(rgb, 301, 200, '24');
    expect(decodeBmp(bmp.subarray(0, bmp.length - 100))).toBeNull();
    const rle = Buffer.from(bmp);
    rle.writeUInt32LE(1, 30); // BI_RLE8
    expect(decodeBmp(rle)).toBeNull();
    expect(decodeBmp(Buffer.from('BM'))).toBeNull();
  });

  it('gives BMP files a thumbnail and pHash through analyzeFile', async () => {
    const bmp = await analyzeFile(await writeFixture(tmp.path('scan.bmp'), encodeBmp(rgb, 301, 200, '24')), {
      thumbnailSize: 100,
      ffprobePath: null,
      ffmpegPath: null,
    });
    const png = await analyzeFile(
      await writeFixture(
        tmp.path('scan.png'),
        await sharp(rgb, { raw: { width: 301, height: 200, channels: 3 } })
          .png()
          .toBuffer(),
      ),
      {
        thumbnailSize: 100,
        ffprobePath: null,
        ffmpegPath: null,
      },
    );
    expect(bmp).toMatchObject({ kind: 'bmp', mime: 'image/bmp', problem: null });
    expect(bmp.metadata).toMatchObject({ width: 301, height: 200 });
    expect(bmp.phash).toBe(png.phash);
    expect(hammingDistanceHex(bmp.phash!, png.phash!)).toBe(0);
  });
});
