import { createHash, randomBytes } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/domain/phash.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import type { MediaAnalysis } from '../../src/media/media-analysis.js';
import {
  ANALYZE_OPTIONS,
  CAMERA_EXIF,
  makeTempDir,
  scenePng,
  sha256Of,
  thumbnailSize,
  writeFixture,
} from './fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let scene: Buffer; // 1600×1200 lossless source
let jpeg: MediaAnalysis; // the reference every other format is compared with

beforeAll(async () => {
  tmp = await makeTempDir();
  scene = await scenePng(12, 1600, 1200);
  jpeg = await analyzeFile(
    await writeFixture(tmp.path('reference.jpg'), await sharp(scene).jpeg().toBuffer()),
    ANALYZE_OPTIONS,
  );
}, 60_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('other still formats', () => {
  it.each([
    ['PNG', 'png', 'image/png', (s: Sharp) => s.png()],
    ['WebP', 'webp', 'image/webp', (s: Sharp) => s.webp({ quality: 85 })],
    ['AVIF', 'avif', 'image/avif', (s: Sharp) => s.avif({ quality: 60, effort: 0 })],
    ['TIFF', 'tiff', 'image/tiff', (s: Sharp) => s.tiff({ compression: 'lzw' })],
    ['GIF', 'gif', 'image/gif', (s: Sharp) => s.gif()],
  ] as const)(
    '%s decodes to a thumbnail and a pHash close to the JPEG',
    async (label, kind, mime, encode) => {
      const path = await writeFixture(tmp.path(`copy.${label}`), await encode(sharp(scene)).toBuffer());
      const result = await analyzeFile(path, ANALYZE_OPTIONS);
      expect(result).toMatchObject({ kind, mime, problem: null });
      expect(await thumbnailSize(result)).toEqual([333, 250, 'webp']);
      expect(hammingDistanceHex(result.phash!, jpeg.phash!)).toBeLessThanOrEqual(label === 'GIF' ? 8 : 4);
      expect(result.metadata).toMatchObject({ width: 1600, height: 1200 });
    },
    30_000,
  );

  it('reads EXIF from WebP RIFF chunks', async () => {
    const path = await writeFixture(
      tmp.path('exif.webp'),
      await sharp(scene).resize(800, 600).webp().withExif(CAMERA_EXIF).toBuffer(),
    );
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    expect(result.metadata).toMatchObject({ make: 'TestCam', captureLocal: '2021-05-06T07:08:09.045' });
  });

  it('handles grayscale, 16-bit and transparent PNGs', async () => {
    const gray = await analyzeFile(
      await writeFixture(
        tmp.path('gray.jpg'),
        await sharp(scene).resize(800, 600).greyscale().jpeg().toBuffer(),
      ),
      ANALYZE_OPTIONS,
    );
    const deep = await analyzeFile(
      await writeFixture(
        tmp.path('deep.png'),
        await sharp(scene).resize(800, 600).toColourspace('rgb16').png().toBuffer(),
      ),
      ANALYZE_OPTIONS,
    );
    const alpha = await analyzeFile(
      await writeFixture(
        tmp.path('alpha.png'),
        await sharp(scene).resize(800, 600).ensureAlpha(0.5).png().toBuffer(),
      ),
      ANALYZE_OPTIONS,
    );
    for (const result of [gray, deep, alpha]) {
      expect(result.problem).toBeNull();
      expect(await thumbnailSize(result)).toEqual([333, 250, 'webp']);
    }
    expect(hammingDistanceHex(deep.phash!, jpeg.phash!)).toBeLessThanOrEqual(4);
  });

  it('reads XMP rating and description embedded in a JPEG', async () => {
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:Rating="4"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dusk</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const path = await writeFixture(
      tmp.path('xmp.jpg'),
      await sharp(scene).resize(400, 300).jpeg().withXmp(xmp).toBuffer(),
    );
    expect((await analyzeFile(path, ANALYZE_OPTIONS)).metadata).toMatchObject({
      rating: 4,
      description: 'Harbour at dusk',
    });
  });
});

describe('content that is not what its name says', () => {
  it('analyses a PNG named .jpg as a PNG', async () => {
    const path = await writeFixture(
      tmp.path('actually-png.jpg'),
      await sharp(scene).resize(400, 300).png().toBuffer(),
    );
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'png', mime: 'image/png', problem: null });
    expect(result.thumbnail).not.toBeNull();
  });

  it('reports a text file named .jpg as unsupported, with its hash', async () => {
    const path = await writeFixture(tmp.path('notes.jpg'), 'shopping list: eggs, milk\n');
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    expect(result).toMatchObject({
      kind: 'unknown',
      mime: null,
      thumbnail: null,
      phash: null,
      quality: null,
    });
    expect(result.problem?.code).toBe('unsupported');
    expect(result.problem?.message).toContain('.jpg');
    expect(result.sha256).toBe(await sha256Of(path));
  });

  it('reports random bytes named .jpg as unsupported', async () => {
    const path = await writeFixture(
      tmp.path('random.jpg'),
      Buffer.concat([Buffer.from([0x00, 0x11]), randomBytes(5000)]),
    );
    expect((await analyzeFile(path, ANALYZE_OPTIONS)).problem?.code).toBe('unsupported');
  });

  it('reports an empty file as empty', async () => {
    const path = await writeFixture(tmp.path('empty.jpg'), '');
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'unknown', bytes: 0, thumbnail: null, problem: { code: 'empty' } });
    expect(result.sha256).toBe(createHash('sha256').digest('hex'));
  });
});
