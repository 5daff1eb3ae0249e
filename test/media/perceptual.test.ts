import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../src/domain/phash.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import type { MediaAnalysis } from '../../src/media/media-analysis.js';
import { ANALYZE_OPTIONS, makeTempDir, scenePng, writeFixture } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let scene: Buffer;
let original: MediaAnalysis;

async function analyse(name: string, bytes: Promise<Buffer>): Promise<MediaAnalysis> {
  return analyzeFile(await writeFixture(tmp.path(name), await bytes), ANALYZE_OPTIONS);
}

beforeAll(async () => {
  tmp = await makeTempDir();
  scene = await scenePng(21, 3000, 2000);
  original = await analyse('original.jpg', sharp(scene).jpeg({ quality: 92 }).toBuffer());
}, 60_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('pHash robustness', () => {
  it.each([
    ['recompressed at q60', (s: Buffer) => sharp(s).jpeg({ quality: 60 }).toBuffer()],
    ['resized to 50%', (s: Buffer) => sharp(s).resize(1500).jpeg({ quality: 85 }).toBuffer()],
    [
      'shrunk to a 640 px messenger copy',
      (s: Buffer) => sharp(s).resize(640).jpeg({ quality: 70 }).toBuffer(),
    ],
    ['converted to PNG', (s: Buffer) => sharp(s).png().toBuffer()],
    ['brightened by 10%', (s: Buffer) => sharp(s).linear(1.1, 0).jpeg().toBuffer()],
  ])('stays within a few bits when %s', async (label, transform) => {
    const copy = await analyse(`${label}.img`, transform(scene));
    expect(hammingDistanceHex(copy.phash!, original.phash!)).toBeLessThanOrEqual(4);
  });

  it('is far apart for different pictures', async () => {
    const distances: number[] = [];
    for (const seed of [22, 23, 24]) {
      const other = await analyse(
        `other-${seed}.jpg`,
        sharp(await scenePng(seed, 3000, 2000))
          .jpeg()
          .toBuffer(),
      );
      distances.push(hammingDistanceHex(other.phash!, original.phash!));
    }
    expect(Math.min(...distances)).toBeGreaterThan(16);
  });

  it('is identical for an EXIF-orientation-only rotation and the physically rotated copy', async () => {
    for (const [orientation, angle] of [
      [6, 90],
      [3, 180],
      [8, 270],
    ] as const) {
      const tagged = await analyse(
        `tag-${orientation}.jpg`,
        sharp(scene).jpeg({ quality: 92 }).withMetadata({ orientation }).toBuffer(),
      );
      const turned = await analyse(
        `turned-${angle}.jpg`,
        sharp(scene).rotate(angle).jpeg({ quality: 92 }).toBuffer(),
      );
      expect(hammingDistanceHex(tagged.phash!, turned.phash!)).toBeLessThanOrEqual(2);
    }
  }, 30_000);
});

describe('quality metrics', () => {
  it('scores a blurred copy much less sharp', async () => {
    const blurred = await analyse('blurred.jpg', sharp(scene).blur(8).jpeg({ quality: 92 }).toBuffer());
    expect(blurred.quality!.laplacianVariance).toBeLessThan(original.quality!.laplacianVariance / 5);
    expect(hammingDistanceHex(blurred.phash!, original.phash!)).toBeLessThanOrEqual(8);
  });

  it('measures a dark copy as dark, with clipped shadows', async () => {
    const dark = await analyse('dark.jpg', sharp(scene).linear(0.08, 0).jpeg().toBuffer());
    expect(dark.quality!.meanLuminance).toBeLessThan(20);
    expect(original.quality!.meanLuminance).toBeGreaterThan(60);
    expect(dark.quality!.clippedShadows).toBeGreaterThan(original.quality!.clippedShadows);
  });

  it('measures an overexposed copy with clipped highlights', async () => {
    const bright = await analyse('bright.jpg', sharp(scene).linear(3, 0).jpeg().toBuffer());
    expect(bright.quality!.clippedHighlights).toBeGreaterThan(0.3);
    expect(bright.quality!.meanLuminance).toBeGreaterThan(original.quality!.meanLuminance);
  });

  it('measures sharpness at a normalised size, so a resized copy scores alike', async () => {
    const half = await analyse('half.jpg', sharp(scene).resize(1500).jpeg({ quality: 92 }).toBuffer());
    const ratio = half.quality!.laplacianVariance / original.quality!.laplacianVariance;
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.4);
  });
});
