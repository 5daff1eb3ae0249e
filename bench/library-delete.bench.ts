/**
 * npm run bench:library-delete — deleting a library of many assets (issue 15): how long it takes,
 * and the longest time /health and /health/ready (which asks the database) waited meanwhile.
 *
 * The real app (all-in-one, on PGlite, or on PostgreSQL when DATABASE_URL is set) gets a library of
 * LIBRARY_DELETE_ASSETS synthetic assets (default 300,000; one action item per 100). Two clients
 * poll /health and /health/ready every 20 ms while DELETE /api/libraries/:id runs. Baseline in the
 * same run: the single-statement delete of the same library size (what deleting did before),
 * unless BENCH_BASELINE=0 — it freezes PGlite for the whole delete. DELETE answers 202 at once (the
 * library is hidden); the batched figure runs until its background job is done.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { insertSyntheticAssets } from '../test/support/synthetic-assets.js';
import { httpRequest, makeTempDir, startTestApp, type TestApp } from '../test/support/test-app.js';

const ASSETS = Number(process.env.LIBRARY_DELETE_ASSETS ?? 300_000);
const BASELINE = process.env.BENCH_BASELINE !== '0';

interface Run {
  seconds: number;
  longestHealthMs: number;
  longestReadyMs: number;
  answers: number;
}

async function seeded(t: TestApp, root: string): Promise<string> {
  const lib = await t.request<{ id: string }>('POST', '/api/libraries', { body: { roots: [root] } });
  if (lib.status !== 201) throw new Error(`could not add the library: ${lib.status}`);
  await t.app.queue.whenIdle();
  const started = performance.now();
  await insertSyntheticAssets(t.app.database.db, lib.body.id, root, ASSETS);
  console.log(`  seeded ${ASSETS} assets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return lib.body.id;
}

async function measure(t: TestApp, remove: () => Promise<void>): Promise<Run> {
  const state: { done: boolean } = { done: false };
  const longest = { '/health': 0, '/health/ready': 0 };
  let answers = 0;
  const poll = async (url: '/health' | '/health/ready') => {
    while (!state.done) {
      const started = performance.now();
      await httpRequest(t.baseUrl, 'GET', url).catch(() => undefined);
      longest[url] = Math.max(longest[url], performance.now() - started);
      answers++;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const pollers = [poll('/health'), poll('/health/ready')];
  const started = performance.now();
  await remove();
  const seconds = (performance.now() - started) / 1000;
  state.done = true;
  await Promise.all(pollers);
  return { seconds, longestHealthMs: longest['/health'], longestReadyMs: longest['/health/ready'], answers };
}

const show = (label: string, r: Run) => {
  console.log(
    `${label.padEnd(26)} ${r.seconds.toFixed(1).padStart(7)} s   longest /health ${r.longestHealthMs
      .toFixed(0)
      .padStart(
        6,
      )} ms   longest /health/ready ${r.longestReadyMs.toFixed(0).padStart(6)} ms   (${r.answers} answers)`,
  );
};

const root = await makeTempDir('bench-delete');
const t = await startTestApp({});
try {
  console.log(`library delete, ${ASSETS} assets, ${t.databaseUrl ? 'postgres' : 'pglite'}`);
  await fs.mkdir(`${root}/a`);
  await fs.mkdir(`${root}/b`);
  const batchedId = await seeded(t, `${root}/a`);
  let hiddenMs = 0;
  const started = performance.now();
  const batched = await measure(t, async () => {
    // node:http, not fetch: fetch gives up on an answer that takes over 300 s.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${t.baseUrl}/api/libraries/${batchedId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${t.admin.accessToken}` },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    if (status !== 202) throw new Error(`delete answered ${status}`);
    hiddenMs = performance.now() - started;
    // The rows go in the background job: the run ends when it has.
    await t.app.queue.whenIdle();
  });
  show('batched (DELETE API)', batched);
  console.log(`hidden from the API ${hiddenMs.toFixed(0)} ms after the DELETE was sent`);
  if (BASELINE) {
    const baselineId = await seeded(t, `${root}/b`);
    const baseline = await measure(t, async () => {
      await t.app.database.db.deleteFrom('libraries').where('id', '=', baselineId).execute();
    });
    show('baseline (one statement)', baseline);
    console.log(
      `longest /health/ready stall: ${(baseline.longestReadyMs / Math.max(batched.longestReadyMs, 1)).toFixed(1)}x shorter batched; ` +
        `total time ${(batched.seconds / baseline.seconds).toFixed(2)}x the baseline`,
    );
  }
  // Read from the database: a long run outlives the admin's access token.
  const left = await t.app.database.db.selectFrom('assets').select('id').limit(1).execute();
  if (left.length !== 0) throw new Error('assets were left behind');
} finally {
  await t.stop();
  await fs.rm(root, { recursive: true, force: true });
}
