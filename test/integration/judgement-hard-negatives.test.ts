import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessQuality } from '../../src/domain/insights/quality-scoring.js';
import { classifyPair, decodeSignatureSet, verifyPair } from '../../src/domain/near-duplicate/index.js';
import { nearDuplicateCodec } from '../../src/domain/near-duplicate-codec.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import type { MediaAnalysis } from '../../src/media/media-analysis.js';

/**
 * Hard negatives for the judgement, generated with sharp from real photos of the corpus
 * (../shared/corpus): pictures the quality model accepts must stay accepted after a change that does
 * not make them worse photos (fog, snow, night, shallow depth of field, a document on white), and
 * re-coloured edits must be versions, not duplicates. Photos are picked by walking the camera folders
 * (`DCIM`), never by name; positive controls (strong blur, underexposure) make sure the checks can fail.
 */
const corpus = process.env.PHOTO_SYNC_CORPUS ?? '/tmp/corpus/c1';
const present = await fs
  .access(corpus)
  .then(() => true)
  .catch(() => false);
if (!present)
  console.log(
    `judgement-hard-negatives: skipped — no corpus at ${corpus} (build it with ../shared/corpus/make-corpus.sh)`,
  );

const OPTIONS = { thumbnailSize: 64, ffprobePath: null, ffmpegPath: null, thumbnail: false } as const;
const PHOTOS = 6;

async function cameraJpegs(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    if (e.isFile() && /\.jpe?g$/i.test(e.name) && full.includes(`${path.sep}DCIM${path.sep}`)) out.push(full);
  }
  return out.sort();
}

let tmp: string;
let n = 0;
async function analyse(image: Buffer): Promise<MediaAnalysis> {
  const file = path.join(tmp, `${n++}.jpg`);
  await fs.writeFile(file, image);
  return analyzeFile(file, OPTIONS);
}
const labels = (a: MediaAnalysis) => assessQuality(a.quality, a.problem?.code ?? null)?.labels ?? ['?'];
const jpeg = (s: Sharp) => s.jpeg({ quality: 90 }).toBuffer();

/** Picture with a pixel map applied to each channel (e.g. a tone curve). */
async function mapPixels(input: Buffer, f: (v: number) => number): Promise<Buffer> {
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true });
  const lut = Uint8Array.from({ length: 256 }, (_, v) => Math.max(0, Math.min(255, Math.round(f(v)))));
  for (let i = 0; i < data.length; i++) data[i] = lut[data[i] as number] as number;
  return jpeg(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }));
}

/** Shallow depth of field: everything blurred except the most detailed window (the "subject"). */
async function bokeh(input: Buffer): Promise<Buffer> {
  const { width, height } = await sharp(input).metadata();
  const w = Math.round(width * 0.35);
  const h = Math.round(height * 0.35);
  let best = { left: 0, top: 0, sharpness: -1 };
  for (let gy = 0; gy < 3; gy++)
    for (let gx = 0; gx < 3; gx++) {
      const left = Math.round((gx * (width - w)) / 2);
      const top = Math.round((gy * (height - h)) / 2);
      // stats() reads its input, not the pipeline's output: measure the extracted window itself.
      const window = await sharp(input).extract({ left, top, width: w, height: h }).greyscale().toBuffer();
      const { sharpness } = await sharp(window).stats();
      if (sharpness > best.sharpness) best = { left, top, sharpness };
    }
  const subject = await sharp(input)
    .extract({ left: best.left, top: best.top, width: w, height: h })
    .toBuffer();
  return jpeg(
    sharp(await sharp(input).blur(14).toBuffer()).composite([
      { input: subject, left: best.left, top: best.top },
    ]),
  );
}

/**
 * An empty sky or a plain wall: the photo's own colours as a smooth gradient (reduced to 4×3 pixels
 * and enlarged back), with a sensor's fine grain. Nothing in it has structure at any scale.
 */
async function emptySky(input: Buffer): Promise<Buffer> {
  const { width, height } = await sharp(input).metadata();
  const small = await sharp(input).resize(4, 3, { fit: 'fill' }).toBuffer();
  const { data, info } = await sharp(small)
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i++) {
    const grain = ((i * 7919) % 13) - 6; // deterministic, ±6 levels before the JPEG
    data[i] = Math.max(0, Math.min(255, (data[i] as number) + grain));
  }
  return jpeg(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }));
}

function documentSvg(): Buffer {
  const lines = Array.from(
    { length: 28 },
    (_, i) =>
      `<text x="160" y="${220 + i * 44}" font-family="serif" font-size="30" fill="#111">${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor'.slice(0, 40 + (i % 5) * 8)}</text>`,
  ).join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="1800" height="1500"><rect width="100%" height="100%" fill="#fdfdfb"/>${lines}</svg>`,
  );
}

describe.runIf(present)('judgement on hard negatives made from real photos', () => {
  const bases: { file: string; image: Buffer; analysis: MediaAnalysis }[] = [];

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'judgement-'));
    for (const file of await cameraJpegs(corpus)) {
      if (bases.length >= PHOTOS) break;
      const image = await sharp(file)
        .rotate()
        .resize(1600, 1600, { fit: 'inside' })
        .jpeg({ quality: 92 })
        .toBuffer();
      const analysis = await analyse(image);
      // Only photos the model accepts as they are, and with highlights to keep at night.
      if (labels(analysis).length === 0 && (analysis.quality?.lumaP999 ?? 0) >= 200)
        bases.push({ file, image, analysis });
    }
  }, 120_000);
  afterAll(async () => {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('finds accepted photos to start from, and flags the positive controls', async () => {
    expect(bases.length).toBeGreaterThanOrEqual(3);
    for (const b of bases) {
      expect(labels(await analyse(await jpeg(sharp(b.image).blur(10)))), `${b.file} blurred`).toEqual([
        'very blurry',
      ]);
      expect(labels(await analyse(await jpeg(sharp(b.image).linear(0.08, 0)))), `${b.file} dark`).toEqual([
        'too dark',
      ]);
    }
  }, 120_000);

  it('does not flag fog, snow, a night version, a shallow depth of field or an empty sky', async () => {
    for (const b of bases) {
      const cases: [string, Buffer][] = [
        ['fog', await jpeg(sharp(b.image).linear(0.45, 130))],
        ['snow', await jpeg(sharp(b.image).linear(0.35, 165))],
        ['night', await mapPixels(b.image, (v) => 255 * (v / 255) ** 3)],
        ['empty sky', await emptySky(b.image)],
        // Shallow depth of field needs a subject with detail to keep sharp.
        ...((b.analysis.quality?.focusDetail ?? 0) >= 50
          ? ([['bokeh', await bokeh(b.image)]] as [string, Buffer][])
          : []),
      ];
      for (const [name, image] of cases) {
        const a = await analyse(image);
        expect(labels(a), `${name} of ${b.file}: ${JSON.stringify(a.quality)}`).toEqual([]);
      }
    }
  }, 180_000);

  it('does not flag a photographed document: black text on white paper', async () => {
    const a = await analyse(await jpeg(sharp(documentSvg()).blur(0.6)));
    expect(labels(a), JSON.stringify(a.quality)).toEqual([]);
  });

  it('keeps black-and-white, sepia and graded edits out of the duplicate tier, and copies in it', async () => {
    const tierOf = async (base: MediaAnalysis, image: Buffer) => {
      const a = decodeSignatureSet(base.signatures as Buffer);
      const b = decodeSignatureSet((await analyse(image)).signatures as Buffer);
      const v = verifyPair(a, b);
      return classifyPair(v.score, undefined, { recoloured: nearDuplicateCodec.recoloured?.(a, b) !== null });
    };
    let colourful = 0;
    for (const b of bases) {
      const copies: [string, Buffer][] = [
        ['re-encode', await sharp(b.image).jpeg({ quality: 60 }).toBuffer()],
        ['resize', await jpeg(sharp(b.image).resize(800))],
        ['webp', await sharp(b.image).webp({ quality: 80 }).toBuffer()],
        ['brighter', await jpeg(sharp(b.image).linear(1.1, 0))],
      ];
      for (const [name, image] of copies)
        expect(await tierOf(b.analysis, image), `${name} of ${b.file}`).toBe('duplicate');
      const stats = await sharp(b.image).stats();
      const chroma = Math.abs(stats.channels[0]!.mean - stats.channels[2]!.mean);
      if (chroma < 4) continue; // a nearly colourless photo has no colour to take away
      colourful++;
      const edits: [string, Buffer][] = [
        ['black and white', await jpeg(sharp(b.image).greyscale())],
        ['sepia', await jpeg(sharp(b.image).greyscale().tint({ r: 112, g: 66, b: 20 }))],
        ['graded', await jpeg(sharp(b.image).modulate({ hue: 120, saturation: 1.6 }))],
      ];
      for (const [name, image] of edits)
        expect(await tierOf(b.analysis, image), `${name} of ${b.file}`).toBe('similar');
    }
    expect(colourful).toBeGreaterThan(0);
  }, 180_000);
});
