/**
 * npm run bench:ingest -- <dir> [--concurrency N]
 *
 * Full ingest (walk, hash, metadata, one decode, thumbnail, signature, quality, database, thumbnail
 * files) of every file under <dir> into a fresh embedded database, against the *decode floor*
 * measured in the same run: sharp's shrink-on-load decode of the same files to the same working
 * size, nothing else, with the same number of files in flight. Prints files/s, MB/s, time per
 * stage, peak RSS and the ratio (target >= 0.70 on 12 MP camera JPEGs).
 * BENCH_CPU_PROFILE=<file.cpuprofile> also records the main thread's CPU profile of the ingest alone.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import threadPool from '../src/cli/thread-pool.cjs';
import { setHeapGrowth } from '../src/cli/heap-growth.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { walkFiles } from '../src/fs/walk-files.js';
import { createLogger } from '../src/logger.js';
import { decodeFloor } from '../src/media/decode-floor.js';
import { mainThreadProfiler } from './support.js';

// Measure with the thread pool the product runs with (the `photo-sync` launcher sets it; libuv
// reads it when the pool starts, which the module loader has done by now): run again with it set.
if (process.env.UV_THREADPOOL_SIZE === undefined) {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: String(threadPool.THREAD_POOL_SIZE) },
  });
  process.exit(again.status ?? 1);
}
// …and with the heap growth the `photo-sync` command sets (src/cli/heap-growth.ts).
setHeapGrowth();

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: 'string', default: String(loadConfig({}).ingestConcurrency) } },
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
const mb = (b: number) => b / 1024 / 1024;
/** Process CPU time (all threads, user + system) in ms: steadier than wall time on a busy machine. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function pool(items: string[], n: number, fn: (p: string) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as string);
    }),
  );
}

console.log(`bench:ingest — ${files.length} files (${mb(totalBytes).toFixed(1)} MB) under ${root}`);
console.log(
  `cpus: ${os.availableParallelism()}, files in flight: ${concurrency}, libuv threads: ${process.env.UV_THREADPOOL_SIZE}, node ${process.version}\n`,
);

// Both runs read from memory: this machine's page cache drops files within seconds to minutes, so
// it is warmed right before each timed run, not once at the start.
const warmPageCache = () => pool(files, 4, (f) => fs.readFile(f));
await warmPageCache();

// The floor: every file sharp itself can decode (HEIC/RAW/video/broken files need more than a
// decode, so they are left out of *both* runs, which then process exactly the same files).
const decodable: string[] = [];
const floorStart = performance.now();
const floorCpu = process.cpuUsage();
await pool(files, concurrency, async (f) => {
  if (
    await decodeFloor(f).then(
      () => true,
      () => false,
    )
  )
    decodable.push(f);
});
const floorSec = (performance.now() - floorStart) / 1000;
const floorCpuMs = cpuMs(process.cpuUsage(floorCpu));
const decodableBytes = (await Promise.all(decodable.map((f) => fs.stat(f)))).reduce(
  (s, st) => s + st.size,
  0,
);
const floorRate = decodable.length / floorSec;
console.log(
  `decode floor: ${decodable.length} decodable files in ${floorSec.toFixed(2)} s = ${floorRate.toFixed(1)} files/s, ${(mb(decodableBytes) / floorSec).toFixed(1)} MB/s (failed decodes excluded from both runs: ${files.length - decodable.length})`,
);

// The same files, as a library of symbolic links (the scanner follows them).
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-bench-'));
const library = path.join(dataDir, 'library');
await fs.mkdir(library);
await Promise.all(decodable.map((f, i) => fs.symlink(f, path.join(library, `${i}${path.extname(f)}`))));

const config = loadConfig(process.env, {
  DATA_DIR: dataDir,
  DATABASE_URL: undefined,
  LIBRARY: [library],
  WATCH: false,
  INGEST_CONCURRENCY: concurrency,
  LOG_LEVEL: 'error',
});
const profiler = process.env.BENCH_CPU_PROFILE ? mainThreadProfiler(process.env.BENCH_CPU_PROFILE) : null;
const app = await createApp(config, createLogger(config.logLevel));
// Ingest runs from the scan job's start (the database is open and migrated by then: start-up is not
// throughput) until it completes; the duplicate analysis queued after it is not ingest.
let ingestStart = 0;
let ingestCpu = process.cpuUsage();
const scanDone = new Promise<number>((resolve) => {
  app.events.on('job.progress', (e) => {
    if (e.type !== 'library.scan') return;
    if (e.status === 'running' && ingestStart === 0) {
      ingestStart = performance.now();
      ingestCpu = process.cpuUsage();
      void profiler?.start();
    }
    if (e.status === 'completed') resolve(performance.now());
  });
});
await warmPageCache();
const startupStart = performance.now();
await app.start({ listen: false });
const ingestEnd = await scanDone;
await profiler?.stop();
const ingestCpuMs = cpuMs(process.cpuUsage(ingestCpu));
if (ingestStart === 0) throw new Error('the scan job never reported that it started');
const ingestSec = (ingestEnd - ingestStart) / 1000;
const startupSec = (ingestStart - startupStart) / 1000;
const stats = app.ingestStats;
const perFile = stats.perFile();
const files2 = stats.files;
const bytes2 = stats.bytes;
await app.queue.whenIdle();
await app.stop();
await fs.rm(dataDir, { recursive: true, force: true });

const ingestRate = files2 / ingestSec;
console.log(
  `full ingest:  ${files2} files in ${ingestSec.toFixed(2)} s = ${ingestRate.toFixed(1)} files/s, ${(mb(bytes2) / ingestSec).toFixed(1)} MB/s (walk, hash, EXIF, decode, thumbnail, signatures, quality, database)`,
);
console.log(`start-up before the scan (database open, migrations; not counted): ${startupSec.toFixed(2)} s`);
console.log(`time per stage (ms per file, summed over workers): ${JSON.stringify(perFile)}`);
console.log(
  `CPU time per file (all threads): decode floor ${(floorCpuMs / decodable.length).toFixed(1)} ms, full ingest ${(ingestCpuMs / files2).toFixed(1)} ms (ratio ${(floorCpuMs / decodable.length / (ingestCpuMs / files2)).toFixed(2)})`,
);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(
  `\nratio ingest/decode-floor (files/s): ${(ingestRate / floorRate).toFixed(2)}  (target >= 0.70)`,
);
