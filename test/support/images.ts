import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

/** Deterministic pseudo-random numbers, so generated pictures are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A picture with photo-like structure (gradient sky, shapes of varied size), different per seed. */
export function scene(seed: number, width = 1200, height = 900): Sharp {
  const rnd = mulberry32(seed);
  const hue = Math.floor(rnd() * 360);
  const shapes: string[] = [];
  for (let i = 0; i < 14; i++) {
    const cx = Math.floor(rnd() * width);
    const cy = Math.floor(rnd() * height);
    const r = Math.floor((0.03 + rnd() * 0.18) * Math.min(width, height));
    const h = Math.floor(rnd() * 360);
    const l = Math.floor(20 + rnd() * 60);
    shapes.push(
      rnd() < 0.5
        ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="hsl(${h},70%,${l}%)"/>`
        : `<rect x="${cx - r}" y="${cy - r / 2}" width="${2 * r}" height="${r}" fill="hsl(${h},60%,${l}%)" transform="rotate(${Math.floor(rnd() * 90)} ${cx} ${cy})"/>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${hue},60%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},50%,30%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg));
}

export interface JpegOptions {
  seed: number;
  width?: number;
  height?: number;
  /** EXIF DateTimeOriginal as 'YYYY:MM:DD HH:MM:SS'. */
  dateTimeOriginal?: string;
  make?: string;
  model?: string;
  orientation?: number;
  quality?: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Where generated JPEGs are kept: the same options always give the same bytes, and rendering a
 * large one costs a few hundred milliseconds, so the suites (both database runs of CI, later runs)
 * render each once. Named after this file and sharp's library versions: a change to either
 * renders anew.
 */
const jpegCache = path.join(
  os.tmpdir(),
  `photosync-test-jpegs-${sha256(readFileSync(import.meta.filename, 'utf8') + JSON.stringify(sharp.versions)).slice(0, 16)}`,
);

/** A camera-like JPEG with EXIF (rendered once per set of options; see jpegCache). */
export async function makeJpeg(o: JpegOptions): Promise<Buffer> {
  const key = Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  const file = path.join(jpegCache, `${sha256(JSON.stringify(key))}.jpg`);
  const cached = await fs.readFile(file).catch(() => null);
  if (cached) return cached;
  const jpeg = await renderJpeg(o);
  // Written whole under another name, then renamed: a suite running beside never reads half a file.
  await fs.mkdir(jpegCache, { recursive: true });
  const partial = `${file}.${randomBytes(6).toString('hex')}`;
  await fs.writeFile(partial, jpeg);
  await fs.rename(partial, file);
  return jpeg;
}

async function renderJpeg(o: JpegOptions): Promise<Buffer> {
  const exif: Record<string, Record<string, string>> = {
    IFD0: { ...(o.make ? { Make: o.make } : {}), ...(o.model ? { Model: o.model } : {}) },
    IFD2: o.dateTimeOriginal ? { DateTimeOriginal: o.dateTimeOriginal } : {},
  };
  let img = scene(o.seed, o.width, o.height)
    .jpeg({ quality: o.quality ?? 88 })
    .withExif(exif);
  if (o.orientation) img = img.withMetadata({ orientation: o.orientation });
  return img.toBuffer();
}

export async function writeFileDeep(file: string, data: Buffer | string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data);
  return file;
}
