/**
 * npm run bench:ingest -- <dir> [--concurrency N]
 *
 * Full ingest (walk, hash, metadata, one decode, thumbnail, signature, quality, database, thumbnail
 * files) of every file under <dir> into a fresh embedded database, against the *decode floor*
 * measured in the same run: sharp's shrink-on-load decode of the same files to the same working
 * size, nothing else, with the same number of files in flight. Prints files/s, MB/s, time per
 * stage, peak RSS and the ratio (target >= 0.70 on 12 MP camera JPEGs).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { walkFiles } from '../src/fs/walk-files.js';
import { createLogger } from '../src/logger.js';
import { decodeFloor } from '../src/media/decode-floor.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: 'string', default: String(os.availableParallelism()) } },
});
const dir = positionals[0];
if (!dir) {
  console.error('usage: npm run bench:ingest -- <dir> [--concurrency N]');
  process.exit(2);
}
const root = path.resolve(dir);
const concurrency = Number(values.concurrency);

const files: string[] = [];
let totalBytes = 0;
for await (const e of walkFiles(root)) {
  if (e.type !== 'file') continue;
  files.push(e.path);
  totalBytes += e.sizeBytes;
}
const imageFiles = files.filter((f) => /\.(jpe?g|png|webp|avif|tiff?|heic|heif|gif|bmp)$/i.test(f));
const imageBytes = (await Promise.all(imageFiles.map((f) => fs.stat(f)))).reduce((s, st) => s + st.size, 0);
const mb = (b: number) => b / 1024 / 1024;

async function pool(items: string[], n: number, fn: (p: string) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as string).catch(() => undefined);
    }),
  );
}

console.log(`bench:ingest — ${files.length} files (${mb(totalBytes).toFixed(1)} MB) under ${root}`);
console.log(`cpus: ${os.availableParallelism()}, files in flight: ${concurrency}, node ${process.version}\n`);

// Warm the page cache so both runs read from memory.
await pool(files, 4, (f) => fs.readFile(f));

const floorStart = performance.now();
await pool(imageFiles, concurrency, decodeFloor);
const floorSec = (performance.now() - floorStart) / 1000;
const floorRate = imageFiles.length / floorSec;
console.log(
  `decode floor (images only): ${imageFiles.length} files in ${floorSec.toFixed(2)} s = ${floorRate.toFixed(1)} files/s, ${(mb(imageBytes) / floorSec).toFixed(1)} MB/s`,
);

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-bench-'));
const config = loadConfig(process.env, {
  DATA_DIR: dataDir,
  DATABASE_URL: undefined,
  LIBRARY: [root],
  WATCH: false,
  INGEST_CONCURRENCY: concurrency,
  LOG_LEVEL: 'warn',
});
const app = await createApp(config, createLogger(config.logLevel));
const ingestStart = performance.now();
await app.start({ listen: false });
await app.queue.whenIdle();
const ingestSec = (performance.now() - ingestStart) / 1000;
const stats = app.ingestStats;
await app.stop();
await fs.rm(dataDir, { recursive: true, force: true });

const ingestRate = stats.files / ingestSec;
console.log(
  `full ingest (all files):    ${stats.files} files in ${ingestSec.toFixed(2)} s = ${ingestRate.toFixed(1)} files/s, ${(mb(stats.bytes) / ingestSec).toFixed(1)} MB/s`,
);
console.log(`time per stage (ms per file, summed over workers): ${JSON.stringify(stats.perFile())}`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(
  `\nratio ingest/decode-floor (files/s): ${(ingestRate / floorRate).toFixed(2)}  (target >= 0.70)`,
);
