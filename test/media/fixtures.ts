import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AnalyzeOptions, MediaAnalysis } from '../../src/media/media-analysis.js';

/** A fresh directory under the OS temp dir; remove it with `cleanup`. */
export async function makeTempDir(): Promise<{
  dir: string;
  cleanup: () => Promise<void>;
  path: (name: string) => string;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'photo-sync-media-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }), path: (name) => join(dir, name) };
}

export async function writeFixture(path: string, bytes: Uint8Array | string): Promise<string> {
  await writeFile(path, bytes);
  return path;
}

/** Deterministic PRNG (mulberry32), so every run draws the same scenes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic "photo": gradient sky, random coloured shapes and fine stripes (so it has edges for the
 * sharpness metric), different for each seed. Returned as a lossless PNG at the requested size.
 */
export async function scenePng(seed: number, width: number, height: number): Promise<Buffer> {
  const r = rng(seed);
  const colour = (): string =>
    `rgb(${Math.floor(r() * 256)},${Math.floor(r() * 256)},${Math.floor(r() * 256)})`;
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const x = r() * width;
    const y = r() * height;
    const size = (0.03 + r() * 0.25) * Math.min(width, height);
    shapes.push(
      r() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${size / 2}" fill="${colour()}" fill-opacity="${0.5 + r() / 2}"/>`
        : `<rect x="${x}" y="${y}" width="${size}" height="${size * (0.3 + r())}" fill="${colour()}" transform="rotate(${r() * 90} ${x} ${y})"/>`,
    );
  }
  const stripe = Math.max(2, Math.round(width / 200));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient>
      <pattern id="stripes" width="${stripe * 2}" height="${stripe * 2}" patternUnits="userSpaceOnUse"><rect width="${stripe}" height="${stripe * 2}" fill="${colour()}"/></pattern>
    </defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <rect x="${width * 0.1}" y="${height * 0.6}" width="${width * 0.3}" height="${height * 0.3}" fill="url(#stripes)"/>
    ${shapes.join('\n')}
  </svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 1 }).toBuffer();
}

export async function sceneJpeg(seed: number, width: number, height: number, quality = 90): Promise<Buffer> {
  return sharp(await scenePng(seed, width, height))
    .jpeg({ quality })
    .toBuffer();
}

export const ANALYZE_OPTIONS: AnalyzeOptions = { thumbnailSize: 250, ffprobePath: null, ffmpegPath: null };

/** Camera-like EXIF for sharp's withExif (IFD2 = Exif IFD, IFD3 = GPS IFD). */
export const CAMERA_EXIF = {
  IFD0: { Make: 'TestCam', Model: 'Model X', ImageDescription: 'OLYMPUS DIGITAL CAMERA' },
  IFD2: {
    DateTimeOriginal: '2021:05:06 07:08:09',
    SubSecTimeOriginal: '045',
    OffsetTimeOriginal: '+02:00',
    ExposureTime: '1/250',
    FNumber: '28/10',
    ISOSpeedRatings: '200',
    FocalLength: '50/1',
    LensModel: 'Lens 50mm',
    BodySerialNumber: 'SN123',
  },
  IFD3: {
    GPSLatitudeRef: 'S',
    GPSLatitude: '33/1 51/1 54/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '151/1 12/1 36/1',
    GPSAltitude: '125/10',
  },
};

/** Width, height and format of an analysis' thumbnail (which must exist). */
export async function thumbnailSize(result: MediaAnalysis): Promise<[number?, number?, string?]> {
  if (!result.thumbnail) throw new Error('expected a thumbnail');
  const meta = await sharp(result.thumbnail).metadata();
  return [meta.width, meta.height, meta.format];
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
