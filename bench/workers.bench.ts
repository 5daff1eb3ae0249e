/**
 * npm run bench:workers -- [<dir>] [--batch N] [--overhead-jobs N]
 *
 * Scale-out ingest on PostgreSQL + Redis: the same corpus (default /tmp/corpus/c1) indexed by 1
 * worker process and then by 2, each limited to one core's worth of image work (one job at a
 * time, one file in flight, one libvips thread). Prints files/s for each and the 2-vs-1 ratio
 * (target >= 1.7 on a 2-core machine), then the queue overhead per job: jobs that find nothing to
 * do, through BullMQ + a worker process, against the in-process queue, measured in the same run.
 *
 * Needs DATABASE_URL (a server where fresh databases can be created) and REDIS_URL; defaults to
 * the local ones. Other work on the machine makes the figures noisy: compare within one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { walkFiles } from '../src/fs/walk-files.js';
import { createLogger } from '../src/logger.js';
import { createCore, type Core } from '../src/runtime/core.js';
import { createFreshPostgresDatabase } from '../test/support/test-database.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    batch: { type: 'string', default: '10' },
    'overhead-jobs': { type: 'string', default: '200' },
  },
});
const root = path.resolve(positionals[0] ?? '/tmp/corpus/c1');
const baseDbUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const batchSize = Number(values.batch);
const overheadJobs = Number(values['overhead-jobs']);
const repoRoot = path.resolve(import.meta.dirname, '..');
const log = createLogger('warn');

let files = 0;
let bytes = 0;
for await (const e of walkFiles(root)) {
  if (e.type !== 'file') continue;
  files++;
  bytes += e.sizeBytes;
}
if (files === 0) {
  console.error(`no files under ${root}: usage: npm run bench:workers -- <dir>`);
  process.exit(2);
}

const freshDatabase = () => createFreshPostgresDatabase(baseDbUrl);

function configFor(databaseUrl: string, dataDir: string, redis: string | null): Config {
  return loadConfig(
    { PATH: process.env.PATH },
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis ?? undefined,
      DATA_DIR: dataDir,
      QUEUE_PREFIX: `psbench-${randomBytes(4).toString('hex')}`,
      INGEST_BATCH_SIZE: String(batchSize),
      INGEST_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
    },
  );
}

function startWorker(config: Config, index: number): ChildProcess {
  // Pinned to one core each (taskset, util-linux), so "one worker" really is one core's worth of
  // work: without it the lone worker's HEIC decoder thread and libuv pool spill onto the other core.
  const node = [process.execPath, '--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), 'worker'];
  const cpu = String(index % os.availableParallelism());
  return spawn('taskset', ['-c', cpu, ...node], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: config.databaseUrl ?? '',
      REDIS_URL: config.redisUrl ?? '',
      DATA_DIR: config.dataDir,
      QUEUE_PREFIX: config.queue.prefix,
      INGEST_BATCH_SIZE: String(batchSize),
      INGEST_CONCURRENCY: '1',
      QUEUE_CONCURRENCY_INGEST: '1',
      LIBVIPS_THREADS: '1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function waitForLine(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`worker exited (${code}) before "${text}"`));
    });
  });
}

async function waitForJob(core: Core, id: string): Promise<void> {
  for (;;) {
    const row = await core.repos.jobs.findById(id);
    if (row?.status === 'completed' || row?.status === 'failed') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ingest of the corpus by `n` worker processes; seconds from enqueue to the scan's completion. */
async function ingestWith(n: number): Promise<{ seconds: number; core: Core; drop(): Promise<void> }> {
  const db = await freshDatabase();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-bench-'));
  const config = configFor(db.url, dataDir, redisUrl);
  const migrateDb = await import('../src/db/database.js').then((m) =>
    m.openDatabase({ databaseUrl: db.url, dataDir: null }),
  );
  await migrateToLatest(migrateDb.db);
  await migrateDb.close();
  const core = await createCore(config, log, 'server');
  const workers = Array.from({ length: n }, (_, i) => startWorker(config, i));
  await Promise.all(workers.map((w) => waitForLine(w, 'photo-sync worker is running')));
  const lib = await core.repos.libraries.create({ name: 'bench', roots: [root] });
  const started = performance.now();
  const jobId = await core.queue.queue.enqueue('library.scan', { libraryId: lib.id }, { libraryId: lib.id });
  await waitForJob(core, jobId);
  const seconds = (performance.now() - started) / 1000;
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  return {
    seconds,
    core,
    async drop() {
      await core.close();
      await db.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Seconds per job for `count` ingest batches that find their assets already indexed. */
async function overheadPerJob(core: Core, count: number): Promise<number> {
  const ids = (
    await core.database.db.selectFrom('assets').select('id').where('status', '=', 'ready').limit(1).execute()
  ).map((a) => a.id);
  const started = performance.now();
  const jobIds = [];
  for (let i = 0; i < count; i++)
    jobIds.push(
      await core.queue.queue.enqueue('library.ingest-batch', {
        libraryId: '00000000-0000-4000-8000-000000000000',
        assetIds: ids,
      }),
    );
  await core.queue.queue.whenIdle();
  return (performance.now() - started) / 1000 / count;
}

console.log(`corpus: ${files} files, ${(bytes / 1024 / 1024).toFixed(0)} MB (${root}); batch ${batchSize}`);
const load = () => os.loadavg()[0]?.toFixed(1) ?? '?';
console.log(`cpus: ${os.cpus().length}; each worker: 1 job, 1 file in flight, 1 libvips thread`);
console.log(`load average at start: ${load()} (above ~0.5 the machine is shared and the ratio understates)`);

const one = await ingestWith(1);
await one.drop();
console.log(`1 worker : ${one.seconds.toFixed(1)} s, ${(files / one.seconds).toFixed(1)} files/s`);
const two = await ingestWith(2);
console.log(`2 workers: ${two.seconds.toFixed(1)} s, ${(files / two.seconds).toFixed(1)} files/s`);
console.log(`ratio 2 vs 1: ${(one.seconds / two.seconds).toFixed(2)}x (target >= 1.7x on 2 free cores)`);
console.log(`load average after the ingests: ${load()}`);

// Queue overhead: BullMQ through one worker process, then the in-process queue, same database.
const worker = startWorker(two.core.config, 0);
await waitForLine(worker, 'photo-sync worker is running');
const bull = await overheadPerJob(two.core, overheadJobs);
worker.kill('SIGTERM');
await new Promise((r) => worker.once('exit', r));
const local = await createCore(
  configFor(two.core.config.databaseUrl ?? '', two.core.config.dataDir, null),
  log,
  'all',
);
await local.queue.startWorkers();
const inProcess = await overheadPerJob(local, overheadJobs);
await local.close();
console.log(
  `queue overhead per job (${overheadJobs} no-op batches): BullMQ ${(bull * 1000).toFixed(2)} ms, ` +
    `in-process ${(inProcess * 1000).toFixed(2)} ms (+${((bull - inProcess) * 1000).toFixed(2)} ms per job)`,
);
await two.drop();
process.exit(0);
