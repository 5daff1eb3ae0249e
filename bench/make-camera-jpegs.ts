/**
 * npx tsx bench/make-camera-jpegs.ts <source-dir> <out-dir> [count=200]
 *
 * Realistic 12 MP camera JPEGs for `npm run bench:ingest`: each real photo under <source-dir> (the
 * corpus originals, say) is cropped/resized to 4000×3000 (or 3000×4000 for portrait sources), given
 * sensor-like grain so it compresses like a camera file (≈3–6 MB at quality 92, not the ≈1 MB of a
 * smooth upscale), and written with camera EXIF (make, model, capture time). Deterministic.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const [source, out, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 200);
if (!source || !out || !Number.isInteger(count) || count < 1) {
  console.error('usage: npx tsx bench/make-camera-jpegs.ts <source-dir> <out-dir> [count=200]');
  process.exit(2);
}

function photosUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return photosUnder(p);
    return /\.jpe?g$/i.test(e.name) && statSync(p).size > 0 ? [p] : [];
  });
}

const sources = photosUnder(path.resolve(source)).sort();
if (sources.length === 0) {
  console.error(`no JPEG files under ${source}`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const WIDTH = 4000;
const HEIGHT = 3000;
const grainCache = new Map<string, Buffer>();
/** Gaussian grain around mid-grey, blended softly: texture a camera sensor would leave. */
async function grain(width: number, height: number, seed: number): Promise<Buffer> {
  const key = `${width}x${height}:${seed % 4}`;
  const cached = grainCache.get(key);
  if (cached) return cached;
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  grainCache.set(key, noise);
  return noise;
}

let bytes = 0;
for (let i = 0; i < count; i++) {
  const src = sources[i % sources.length] as string;
  const meta = await sharp(src).metadata();
  const portrait = meta.autoOrient.height > meta.autoOrient.width;
  const [width, height] = portrait ? [HEIGHT, WIDTH] : [WIDTH, HEIGHT];
  // A different crop position per pass over the sources, so repeated sources are distinct photos.
  const position = ['centre', 'north', 'south', 'east', 'west'][Math.floor(i / sources.length) % 5] as string;
  const taken = new Date(Date.UTC(2024, 0, 1) + i * 97_000);
  const stamp = taken.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
  const file = path.join(out, `IMG_${String(1000 + i)}.JPG`);
  const info = await sharp(src)
    .autoOrient()
    .resize({ width, height, fit: 'cover', position })
    .composite([{ input: await grain(width, height, i), blend: 'soft-light' }])
    .withExif({
      IFD0: { Make: 'Canon', Model: 'Canon EOS R6', DateTime: stamp },
      IFD2: { DateTimeOriginal: stamp },
    })
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toFile(file);
  bytes += info.size;
  if ((i + 1) % 25 === 0) console.log(`${i + 1} files, ${(bytes / (i + 1) / 1e6).toFixed(2)} MB average`);
}
console.log(`${count} files of ${WIDTH}×${HEIGHT} in ${out}, ${(bytes / count / 1e6).toFixed(2)} MB average`);
