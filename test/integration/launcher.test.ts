import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, waitForListening } from '../support/cli-process.js';
import { seedPgliteDataDir } from '../support/test-database.js';
import { makeTempDir } from '../support/test-app.js';
import fs from 'node:fs/promises';

/** Threads of a running process, from /proc (Linux). */
async function threadsOf(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/task`)).length;
}

/**
 * The thread count once it has stopped moving: a loaded machine (the whole suite runs beside this)
 * can answer "listening" before V8's helper threads have all started.
 */
async function settledThreadsOf(pid: number): Promise<number> {
  let last = await threadsOf(pid);
  for (let same = 0; same < 5;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await threadsOf(pid);
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * The `photo-sync` command is a CommonJS launcher that sizes libuv's thread pool before the ES
 * modules load (the loader starts the pool, after which the size can no longer change). Run as
 * installed — the build `npm install` makes — since under tsx the loader hooks start the pool first.
 */
const launcher = path.join(repoRoot, 'dist/cli/launch.cjs');
describe('the photo-sync launcher', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('launcher-data');
    // Migrated already (the run's template): the thread pool is under test, not the first run.
    await seedPgliteDataDir(dataDir);
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const serve = async (env: NodeJS.ProcessEnv) => {
    let out = '';
    const child = spawn(process.execPath, [launcher, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, WATCH: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitForListening(child);
      const line = out.split('\n').find((l) => l.includes('photo-sync is running')) ?? '';
      const logged = (JSON.parse(line) as { threadPool: number }).threadPool;
      return { logged, threads: await settledThreadsOf(child.pid as number) };
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };

  it('starts 8 pool threads unless the environment sets UV_THREADPOOL_SIZE, which then wins', async () => {
    const byDefault = await serve({});
    const chosen = await serve({ UV_THREADPOOL_SIZE: '3' });
    expect(byDefault.logged).toBe(8);
    expect(chosen.logged).toBe(3);
    // The same process otherwise: the difference is the pool.
    expect(byDefault.threads - chosen.threads).toBe(5);
  }, 120_000);
});
