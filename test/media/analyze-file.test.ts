import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/domain/phash.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import { contentMemo, type ContentMemo, type MediaAnalysis } from '../../src/media/media-analysis.js';
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
let scene: Buffer; // 4000×3000 lossless source
let jpegPath: string;
let jpeg: MediaAnalysis;

beforeAll(async () => {
  tmp = await makeTempDir();
  scene = await scenePng(11, 4000, 3000);
  const camera = await sharp(scene).jpeg({ quality: 90 }).withExif(CAMERA_EXIF).toBuffer();
  jpegPath = await writeFixture(tmp.path('IMG_0001.JPG'), camera);
  jpeg = await analyzeFile(jpegPath, ANALYZE_OPTIONS);
}, 60_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('analyzeFile on a 12 MP camera JPEG', () => {
  it('identifies and hashes the file', async () => {
    expect(jpeg.kind).toBe('jpeg');
    expect(jpeg.mime).toBe('image/jpeg');
    expect(jpeg.sha256).toBe(await sha256Of(jpegPath));
    expect(jpeg.bytes).toBe((await readFile(jpegPath)).length);
    expect(jpeg.problem).toBeNull();
  });

  it('reads EXIF metadata', () => {
    expect(jpeg.metadata).toMatchObject({
      captureLocal: '2021-05-06T07:08:09.045',
      captureOffsetMinutes: 120,
      make: 'TestCam',
      model: 'Model X',
      bodySerial: 'SN123',
      lens: 'Lens 50mm',
      exposureTime: 0.004,
      fNumber: 2.8,
      iso: 200,
      focalLength: 50,
      gpsAltitude: 12.5,
      width: 4000,
      height: 3000,
      description: null, // "OLYMPUS DIGITAL CAMERA" is camera boilerplate
    });
    expect(jpeg.metadata.capturedAt?.toISOString()).toBe('2021-05-06T05:08:09.045Z');
    expect(jpeg.metadata.gpsLatitude).toBeCloseTo(-33.865, 6);
    expect(jpeg.metadata.gpsLongitude).toBeCloseTo(151.21, 6);
  });

  it('makes a 250 px WebP thumbnail, a pHash and quality metrics from the one decode', async () => {
    expect(await thumbnailSize(jpeg)).toEqual([333, 250, 'webp']);
    expect(jpeg.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(jpeg.quality).toMatchObject({ integrity: 'ok' });
    expect(jpeg.quality!.laplacianVariance).toBeGreaterThan(10);
    expect(jpeg.quality!.meanLuminance).toBeGreaterThan(20);
  });

  it('reports timings per stage', () => {
    for (const stage of ['read', 'hash', 'metadata', 'decode', 'derive'] as const) {
      expect(jpeg.timings[stage]).toBeGreaterThanOrEqual(0);
    }
  });

  it('honours a custom thumbnail size and never upscales', async () => {
    const big = await analyzeFile(jpegPath, { ...ANALYZE_OPTIONS, thumbnailSize: 600 });
    expect(await thumbnailSize(big)).toEqual([800, 600, 'webp']);
    const smallPath = await writeFixture(
      tmp.path('small.jpg'),
      await sharp(scene).resize(120, 90).jpeg().toBuffer(),
    );
    expect(await thumbnailSize(await analyzeFile(smallPath, ANALYZE_OPTIONS))).toEqual([120, 90, 'webp']);
  });

  it('keeps the short edge at the thumbnail size for panoramas', async () => {
    const panoPath = await writeFixture(
      tmp.path('pano.jpg'),
      await sharp(scene).resize(6000, 1000, { fit: 'fill' }).jpeg().toBuffer(),
    );
    const pano = await analyzeFile(panoPath, ANALYZE_OPTIONS);
    expect(await thumbnailSize(pano)).toEqual([1500, 250, 'webp']);
    expect(pano.metadata).toMatchObject({ width: 6000, height: 1000 });
  });
});

describe('concurrent analyses', () => {
  it('gives the same results in parallel as one at a time (read buffers are recycled)', async () => {
    const paths = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (n) =>
        writeFixture(
          tmp.path(`parallel-${n}.jpg`),
          await sharp(await scenePng(100 + n, 1200, 900))
            .jpeg()
            .toBuffer(),
        ),
      ),
    );
    const sequential: MediaAnalysis[] = [];
    for (const path of paths) sequential.push(await analyzeFile(path, ANALYZE_OPTIONS));
    const parallel = await Promise.all(paths.map((path) => analyzeFile(path, ANALYZE_OPTIONS)));
    for (const [i, path] of paths.entries()) {
      expect(parallel[i]!.sha256).toBe(await sha256Of(path));
      expect(parallel[i]!.phash).toBe(sequential[i]!.phash);
      expect(parallel[i]!.quality).toEqual(sequential[i]!.quality);
    }
    expect(new Set(parallel.map((r) => r.phash)).size).toBe(paths.length);
  }, 30_000);
});

describe('byte-identical copies', () => {
  it('decodes a copy once when a content memo is shared, and gives it the same analysis', async () => {
    const bytes = await sharp(await scenePng(7, 1200, 900))
      .jpeg()
      .toBuffer();
    const original = await writeFixture(tmp.path('memo-IMG_7.JPG'), bytes);
    const copy = await writeFixture(tmp.path('memo-IMG_7 (1).JPG'), bytes);
    const other = await writeFixture(
      tmp.path('memo-IMG_8.JPG'),
      await sharp(await scenePng(8, 1200, 900))
        .jpeg()
        .toBuffer(),
    );
    const memo = contentMemo();
    const decoded: string[] = [];
    const counting: ContentMemo = (sha256, analyse) =>
      memo(sha256, () => {
        decoded.push(sha256);
        return analyse();
      });
    const opts = { ...ANALYZE_OPTIONS, sameContent: counting };
    const [a, b, c] = [
      await analyzeFile(original, opts),
      await analyzeFile(copy, opts),
      await analyzeFile(other, opts),
    ];
    expect(decoded).toEqual([a.sha256, c.sha256]);
    expect(b.sha256).toBe(a.sha256);
    expect(b.phash).toBe(a.phash);
    expect(b.quality).toEqual(a.quality);
    expect(b.metadata).toEqual(a.metadata);
    expect(c.phash).not.toBe(a.phash);
    // Without the memo each file is decoded on its own, to the same result.
    expect((await analyzeFile(copy, ANALYZE_OPTIONS)).phash).toBe(a.phash);
  });
});

describe('orientation', () => {
  it('applies the EXIF orientation: upright size, thumbnail and pHash match a physically rotated copy', async () => {
    const tagged = await analyzeFile(
      await writeFixture(
        tmp.path('tagged.jpg'),
        await sharp(scene).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer(),
      ),
      ANALYZE_OPTIONS,
    );
    const rotated = await analyzeFile(
      await writeFixture(
        tmp.path('rotated.jpg'),
        await sharp(scene).rotate(90).jpeg({ quality: 90 }).toBuffer(),
      ),
      ANALYZE_OPTIONS,
    );
    expect(tagged.metadata).toMatchObject({ orientation: 6, width: 3000, height: 4000 });
    expect(await thumbnailSize(tagged)).toEqual([250, 333, 'webp']);
    expect(hammingDistanceHex(tagged.phash!, rotated.phash!)).toBeLessThanOrEqual(2);
    expect(hammingDistanceHex(tagged.phash!, jpeg.phash!)).toBeGreaterThan(10);
  });
});
