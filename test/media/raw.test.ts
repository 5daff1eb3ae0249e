import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/domain/phash.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import { decodeUncompressedCfaDng } from '../../src/media/dng-cfa.js';
import { extractIsoBmffMetadata } from '../../src/media/isobmff-meta.js';
import type { MediaAnalysis } from '../../src/media/media-analysis.js';
import { decodableJpegFrameSize, findLargestEmbeddedJpeg } from '../../src/media/raw-preview.js';
import { ANALYZE_OPTIONS, makeTempDir, scenePng, writeFixture } from './fixtures.js';
import { ascii, buildCfaDng, buildTiff, long, short, type TiffValue } from './tiff-builder.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let scene: Buffer;
let rgb: Buffer;
let reference: MediaAnalysis; // the same picture as a plain JPEG
let previewJpeg: Buffer;

beforeAll(async () => {
  tmp = await makeTempDir();
  scene = await scenePng(31, 800, 600);
  rgb = await sharp(scene).removeAlpha().raw().toBuffer();
  reference = await analyzeFile(
    await writeFixture(tmp.path('reference.jpg'), await sharp(scene).jpeg().toBuffer()),
    ANALYZE_OPTIONS,
  );
  previewJpeg = await sharp(scene).jpeg({ quality: 85 }).toBuffer();
});

afterAll(async () => {
  await tmp.cleanup();
});

const rotatedReference = async (angle: number): Promise<MediaAnalysis> =>
  analyzeFile(
    await writeFixture(tmp.path(`ref-${angle}.jpg`), await sharp(scene).rotate(angle).jpeg().toBuffer()),
    ANALYZE_OPTIONS,
  );

describe('DNG without a preview: half-size demosaic of the CFA data', () => {
  it('decodes an uncompressed RGGB DNG into a picture close to the original', async () => {
    const dng = buildCfaDng({
      rgb,
      width: 800,
      height: 600,
      make: 'Canon',
      model: 'EOS 80D',
      date: '2017:01:19 15:05:44',
    });
    const result = await analyzeFile(await writeFixture(tmp.path('IMG_0001.DNG'), dng), ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'raw', mime: 'image/x-adobe-dng', problem: null });
    expect(result.metadata).toMatchObject({
      make: 'Canon',
      model: 'EOS 80D',
      captureLocal: '2017-01-19T15:05:44.000',
      width: 800,
      height: 600,
    });
    expect((await sharp(result.thumbnail!).metadata()).width).toBe(333);
    expect(hammingDistanceHex(result.phash!, reference.phash!)).toBeLessThanOrEqual(6);
  });

  it('applies the DNG orientation and reads multi-strip data', async () => {
    const dng = buildCfaDng({ rgb, width: 800, height: 600, orientation: 6, rowsPerStrip: 64 });
    const result = await analyzeFile(await writeFixture(tmp.path('IMG_0002.DNG'), dng), ANALYZE_OPTIONS);
    expect(result.metadata).toMatchObject({ orientation: 6, width: 600, height: 800 });
    expect(hammingDistanceHex(result.phash!, (await rotatedReference(90)).phash!)).toBeLessThanOrEqual(6);
  });

  it('reproduces colours: linear CFA values come back as the sRGB they were made from', () => {
    const flat = Buffer.alloc(8 * 8 * 3);
    for (let i = 0; i < 64; i++) flat.set([200, 30, 90], i * 3);
    const raster = decodeUncompressedCfaDng(buildCfaDng({ rgb: flat, width: 8, height: 8 }));
    expect(raster).toMatchObject({ width: 4, height: 4, channels: 3 });
    for (const [i, expected] of [200, 30, 90].entries())
      expect(Math.abs(raster!.data[i]! - expected)).toBeLessThanOrEqual(2);
  });

  it('returns null for CFA data it does not handle', () => {
    const dng = buildCfaDng({ rgb, width: 800, height: 600 });
    expect(decodeUncompressedCfaDng(dng.subarray(0, 5000))).toBeNull(); // strips cut off
    expect(decodeUncompressedCfaDng(previewJpeg)).toBeNull();
  });
});

/** A NEF-like TIFF RAW: IFD0 with camera tags, SubIFD 1 = preview JPEG, SubIFD 2 = lossless-JPEG raw data. */
function tiffRaw(orientation: number, preview: Buffer | null): Buffer {
  const losslessJpeg = Buffer.from('ffd8ffc3000b08000400040111000000ffd9', 'hex');
  const raw = new Map<number, TiffValue>([
    [254, long(0)],
    [259, short(7)],
    [262, short(32803)],
    [273, { type: 4, blobs: [1] }],
    [279, long(losslessJpeg.length)],
  ]);
  const ifd0 = new Map<number, TiffValue>([
    [271, ascii('NIKON CORPORATION')],
    [272, ascii('NIKON D750')],
    [274, short(orientation)],
    [330, { type: 4, ifd: preview ? 1 : 2 }],
  ]);
  const previewIfd = new Map<number, TiffValue>([
    [254, long(1)],
    [259, short(6)],
    [513, { type: 4, blobs: [0] }],
    [514, long(preview?.length ?? 0)],
  ]);
  return buildTiff({ ifds: [ifd0, previewIfd, raw], blobs: [preview ?? Buffer.alloc(0), losslessJpeg] });
}

describe('embedded previews', () => {
  it('uses the largest embedded JPEG of a TIFF-based RAW and applies the RAW orientation', async () => {
    const nef = tiffRaw(8, previewJpeg);
    const found = findLargestEmbeddedJpeg(nef);
    expect(found).toMatchObject({ width: 800, height: 600 });
    const result = await analyzeFile(await writeFixture(tmp.path('DSC_0001.NEF'), nef), ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'raw', mime: 'image/x-nikon-nef', problem: null });
    expect(result.metadata).toMatchObject({
      make: 'NIKON CORPORATION',
      orientation: 8,
      width: 600,
      height: 800,
    });
    expect(hammingDistanceHex(result.phash!, (await rotatedReference(270)).phash!)).toBeLessThanOrEqual(4);
  });

  it('reports a RAW without a usable preview as not supported yet', async () => {
    const result = await analyzeFile(
      await writeFixture(tmp.path('DSC_0002.NEF'), tiffRaw(1, null)),
      ANALYZE_OPTIONS,
    );
    expect(result).toMatchObject({ kind: 'raw', thumbnail: null, phash: null });
    expect(result.problem).toEqual({
      code: 'corrupted',
      message: 'RAW without embedded preview: not supported yet.',
    });
    expect(result.metadata.make).toBe('NIKON CORPORATION');
  });

  it('finds the preview of a Fujifilm RAF and reads its EXIF', async () => {
    const jpeg = await sharp(scene)
      .jpeg()
      .withExif({
        IFD0: { Make: 'FUJIFILM', Model: 'X-T3' },
        IFD2: { DateTimeOriginal: '2020:02:03 04:05:06' },
      })
      .toBuffer();
    const header = Buffer.alloc(160);
    header.write('FUJIFILMCCD-RAW 0201FF129502', 0, 'latin1');
    header.writeUInt32BE(header.length, 84);
    header.writeUInt32BE(jpeg.length, 88);
    const result = await analyzeFile(
      await writeFixture(tmp.path('DSCF0001.RAF'), Buffer.concat([header, jpeg, randomBytes(2000)])),
      ANALYZE_OPTIONS,
    );
    expect(result).toMatchObject({ kind: 'raw', mime: 'image/x-fuji-raf', problem: null });
    expect(result.metadata).toMatchObject({
      make: 'FUJIFILM',
      model: 'X-T3',
      captureLocal: '2020-02-03T04:05:06.000',
    });
    expect(hammingDistanceHex(result.phash!, reference.phash!)).toBeLessThanOrEqual(4);
  });

  it('finds the PRVW preview of a Canon CR3 and reads the CMT metadata boxes', async () => {
    const box = (type: string, ...parts: Buffer[]): Buffer => {
      const body = Buffer.concat(parts);
      const head = Buffer.alloc(8);
      head.writeUInt32BE(body.length + 8, 0);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body]);
    };
    const cmt1 = buildTiff({
      ifds: [
        new Map([
          [271, ascii('Canon')],
          [272, ascii('Canon EOS R5')],
        ]),
      ],
      blobs: [],
    });
    const cmt2 = buildTiff({
      ifds: [
        new Map<number, TiffValue>([
          [36867, ascii('2022:07:08 09:10:11')],
          [34855, short(800)],
        ]),
      ],
      blobs: [],
    });
    const prvwHeader = Buffer.alloc(16);
    prvwHeader.writeUInt16BE(1, 4);
    prvwHeader.writeUInt16BE(800, 6);
    prvwHeader.writeUInt16BE(600, 8);
    prvwHeader.writeUInt32BE(previewJpeg.length, 12);
    const cr3 = Buffer.concat([
      box('ftyp', Buffer.from('crx \0\0\0\x01crx isom', 'latin1')),
      box(
        'moov',
        box(
          'uuid',
          Buffer.from('85c0b687820f11e08111f4ce462b6a48', 'hex'),
          box('CMT1', cmt1),
          box('CMT2', cmt2),
        ),
      ),
      box(
        'uuid',
        Buffer.from('eaf42b5e1c984b88b9fbb7dc406e4d16', 'hex'),
        Buffer.alloc(8),
        box('PRVW', prvwHeader, previewJpeg),
      ),
      box('mdat', randomBytes(1000)),
    ]);
    expect(extractIsoBmffMetadata(cr3).tiffBlobs).toHaveLength(2);
    const result = await analyzeFile(await writeFixture(tmp.path('IMG_0001.CR3'), cr3), ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'raw', mime: 'image/x-canon-cr3', problem: null });
    expect(result.metadata).toMatchObject({
      make: 'Canon',
      model: 'Canon EOS R5',
      iso: 800,
      captureLocal: '2022-07-08T09:10:11.000',
    });
    expect(hammingDistanceHex(result.phash!, reference.phash!)).toBeLessThanOrEqual(4);
  });

  it('accepts baseline/progressive JPEGs and rejects lossless ones (raw sensor data)', () => {
    expect(decodableJpegFrameSize(previewJpeg)).toEqual({ width: 800, height: 600 });
    expect(decodableJpegFrameSize(Buffer.from('ffd8ffc3000b08000400040111000000ffd9', 'hex'))).toBeNull();
    expect(decodableJpegFrameSize(Buffer.from('not a jpeg'))).toBeNull();
  });
});

describe('parsers never throw on garbage', () => {
  it('survives random bytes, truncations and self-referencing IFDs', () => {
    const nef = tiffRaw(1, previewJpeg);
    const loop = buildTiff({ ifds: [new Map<number, TiffValue>([[330, { type: 4, ifd: 0 }]])], blobs: [] });
    const inputs: Uint8Array[] = [
      loop,
      Buffer.from('II*\0\xff\xff\xff\xff', 'latin1'),
      Buffer.from('FUJIFILMCCD-RAW'),
    ];
    for (let i = 0; i < 200; i++) inputs.push(randomBytes(1 + Math.floor(Math.random() * 4000)));
    for (let cut = 0; cut < nef.length; cut += 97) inputs.push(nef.subarray(0, cut));
    for (let i = 0; i < 50; i++) {
      const damaged = Buffer.from(nef);
      randomBytes(16).copy(damaged, Math.floor(Math.random() * (nef.length - 16)));
      inputs.push(damaged);
    }
    for (const input of inputs) {
      expect(() => findLargestEmbeddedJpeg(input)).not.toThrow();
      expect(() => decodeUncompressedCfaDng(input)).not.toThrow();
      expect(() => extractIsoBmffMetadata(input)).not.toThrow();
    }
    expect(findLargestEmbeddedJpeg(loop)).toBeNull();
  });
});
