import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/domain/phash.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import type { MediaAnalysis } from '../../src/media/media-analysis.js';
import { ANALYZE_OPTIONS, makeTempDir, scenePng, writeFixture } from './fixtures.js';

const HEIF_ENC = '/usr/bin/heif-enc';
const haveHeifEnc = existsSync(HEIF_ENC);
if (!haveHeifEnc)
  console.log(`Skipping HEIC tests: ${HEIF_ENC} not found (apt-get install libheif-examples).`);

const run = promisify(execFile);

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let scene: Buffer;
let reference: MediaAnalysis;

/** heif-enc (libheif 1.15) keeps the JPEG's EXIF, including its Orientation tag, but writes no irot box. */
async function encodeHeic(name: string, jpeg: Buffer): Promise<string> {
  const jpegPath = await writeFixture(tmp.path(`${name}.jpg`), jpeg);
  const heicPath = tmp.path(`${name}.HEIC`);
  await run(HEIF_ENC, ['-q', '70', jpegPath, '-o', heicPath]);
  return heicPath;
}

describe.skipIf(!haveHeifEnc)('HEIC (HEVC) through the WASM decoder', () => {
  beforeAll(async () => {
    tmp = await makeTempDir();
    scene = await scenePng(41, 800, 600);
    reference = await analyzeFile(
      await writeFixture(tmp.path('reference.jpg'), await sharp(scene).jpeg().toBuffer()),
      ANALYZE_OPTIONS,
    );
  });

  afterAll(async () => {
    await tmp.cleanup();
  });

  it('decodes pixels and reads EXIF from the Exif item', async () => {
    const jpeg = await sharp(scene)
      .jpeg()
      .withExif({
        IFD0: { Make: 'Apple', Model: 'iPhone 12' },
        IFD2: { DateTimeOriginal: '2023:03:04 05:06:07', OffsetTimeOriginal: '-07:00' },
      })
      .toBuffer();
    const result = await analyzeFile(await encodeHeic('plain', jpeg), ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'heic', mime: 'image/heic', problem: null });
    expect(result.metadata).toMatchObject({
      make: 'Apple',
      model: 'iPhone 12',
      captureOffsetMinutes: -420,
      width: 800,
      height: 600,
    });
    expect((await sharp(result.thumbnail!).metadata()).width).toBe(333);
    expect(hammingDistanceHex(result.phash!, reference.phash!)).toBeLessThanOrEqual(4);
  }, 30_000);

  it('applies the irot transformation once and does not apply EXIF Orientation on top of it', async () => {
    const jpeg = await sharp(scene).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const heic = await readFile(await encodeHeic('turned', jpeg));
    // irot angle 3 = 270° anti-clockwise = 90° clockwise, as an iPhone held upright writes it.
    const path = await writeFixture(tmp.path('irot.HEIC'), addIrot(heic, 3));
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    const turned = await analyzeFile(
      await writeFixture(tmp.path('turned90.jpg'), await sharp(scene).rotate(90).jpeg().toBuffer()),
      ANALYZE_OPTIONS,
    );
    expect(result.metadata).toMatchObject({ orientation: 6, width: 600, height: 800 });
    expect(hammingDistanceHex(result.phash!, turned.phash!)).toBeLessThanOrEqual(4);
  }, 30_000);

  it('ignores EXIF Orientation without irot, as HEIF readers do (the pixels are shown as stored)', async () => {
    const jpeg = await sharp(scene).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const result = await analyzeFile(await encodeHeic('exif-only', jpeg), ANALYZE_OPTIONS);
    expect(result.metadata).toMatchObject({ orientation: 6, width: 800, height: 600 });
    expect(hammingDistanceHex(result.phash!, reference.phash!)).toBeLessThanOrEqual(4);
  }, 30_000);

  it('treats AVIF (decoded by libvips) the same way: EXIF read from the Exif item, Orientation not applied', async () => {
    const jpeg = await sharp(scene)
      .jpeg()
      .withExif({ IFD0: { Make: 'Pixel', Model: '8 Pro' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const jpegPath = await writeFixture(tmp.path('avif-source.jpg'), jpeg);
    const avifPath = tmp.path('photo.avif');
    await run(HEIF_ENC, ['-A', '-q', '60', jpegPath, '-o', avifPath]);
    const result = await analyzeFile(avifPath, ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'avif', problem: null });
    expect(result.metadata).toMatchObject({
      make: 'Pixel',
      model: '8 Pro',
      orientation: 6,
      width: 800,
      height: 600,
    });
    expect(hammingDistanceHex(result.phash!, reference.phash!)).toBeLessThanOrEqual(4);
  }, 30_000);

  it('reports a truncated HEIC as corrupted without throwing', async () => {
    const heic = await readFile(await encodeHeic('broken', await sharp(scene).jpeg().toBuffer()));
    const result = await analyzeFile(
      await writeFixture(tmp.path('broken.HEIC'), heic.subarray(0, heic.length >> 1)),
      ANALYZE_OPTIONS,
    );
    expect(result.kind).toBe('heic');
    expect(result.problem?.code).toBe('corrupted');
  }, 30_000);
});

/**
 * Inserts an irot property for the primary item into a heif-enc file (ftyp, meta, mdat; iloc version 0
 * with 4-byte base offsets). Sizes of the enclosing boxes grow and the item data offsets shift.
 */
function addIrot(file: Buffer, angle: number): Buffer {
  const findChild = (start: number, end: number, type: string): [number, number] => {
    for (let p = start; p + 8 <= end; p += file.readUInt32BE(p)) {
      if (file.toString('latin1', p + 4, p + 8) === type) return [p, p + file.readUInt32BE(p)];
    }
    throw new Error(`no ${type} box`);
  };
  const [meta, metaEnd] = findChild(0, file.length, 'meta');
  const [iprp, iprpEnd] = findChild(meta + 12, metaEnd, 'iprp');
  const [ipco, ipcoEnd] = findChild(iprp + 8, iprpEnd, 'ipco');
  const [ipma, ipmaEnd] = findChild(iprp + 8, iprpEnd, 'ipma');
  const [iloc] = findChild(meta + 12, metaEnd, 'iloc');
  let properties = 0;
  for (let p = ipco + 8; p < ipcoEnd; p += file.readUInt32BE(p)) properties++;
  if (file[ipma + 8] !== 0 || file.readUInt32BE(ipma + 12) !== 1) throw new Error('unexpected ipma layout');
  if (file.readUInt16BE(iloc + 12) !== 0x4440) throw new Error('unexpected iloc layout');

  const irot = Buffer.from([0, 0, 0, 9, 0x69, 0x72, 0x6f, 0x74, angle]);
  const association = Buffer.from([0x80 | (properties + 1)]);
  const out = Buffer.concat([
    file.subarray(0, ipcoEnd),
    irot,
    file.subarray(ipcoEnd, ipmaEnd),
    association,
    file.subarray(ipmaEnd),
  ]);
  const grow = (at: number, by: number): void => {
    out.writeUInt32BE(out.readUInt32BE(at) + by, at);
  };
  grow(meta, 10);
  grow(iprp, 10);
  grow(ipco, 9);
  grow(ipma + 9, 1); // ipma box starts 9 bytes later now
  out[ipma + 9 + 18] = (out[ipma + 9 + 18] ?? 0) + 1; // association_count of the single entry
  const itemCount = out.readUInt16BE(iloc + 14);
  for (let i = 0, p = iloc + 16; i < itemCount; i++) {
    grow(p + 4, 10); // base_offset
    const extents = out.readUInt16BE(p + 8);
    p += 10 + extents * 8;
  }
  return out;
}
