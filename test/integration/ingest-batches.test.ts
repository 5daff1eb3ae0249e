import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssetJson, Page } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

const FILES = 12;

interface Observed {
  /** Most ingest batches running at one moment. */
  mostBatchesAtOnce: number;
  /** Batches still running when an analysis job started (must be none). */
  batchesUnderAnalysis: number;
}

/** Scans a library of FILES new photos in batches of 3 and watches the job events while it runs. */
async function scanInBatches(queueConcurrencyIngest: string): Promise<{ t: TestApp; observed: Observed }> {
  const root = await makeTempDir('lib');
  const t = await startTestApp({
    libraryRoots: [root],
    env: {
      INGEST_BATCH_SIZE: '3',
      INGEST_CONCURRENCY: '2',
      QUEUE_CONCURRENCY_INGEST: queueConcurrencyIngest,
    },
  });
  await t.app.queue.whenIdle();
  for (let i = 0; i < FILES; i++) {
    await writeFileDeep(
      path.join(root, `p${i}.jpg`),
      await makeJpeg({ seed: 100 + i, width: 800, height: 600 }),
    );
  }
  const running = new Set<string>();
  const observed: Observed = { mostBatchesAtOnce: 0, batchesUnderAnalysis: 0 };
  t.app.events.on('job.progress', (e) => {
    if (e.type === 'library.ingest-batch') {
      if (e.status === 'running') running.add(e.jobId);
      else running.delete(e.jobId);
      observed.mostBatchesAtOnce = Math.max(observed.mostBatchesAtOnce, running.size);
    } else if (e.type.endsWith('.analyse') && e.status === 'running') {
      observed.batchesUnderAnalysis += running.size;
    }
  });
  const [lib] = await t.app.libraries.listAll();
  await t.app.libraries.requestSystemScan(lib!.id);
  await t.app.queue.whenIdle();
  return { t, observed };
}

async function readyAssets(t: TestApp): Promise<AssetJson[]> {
  const res = await t.get<Page<AssetJson>>('/api/assets?limit=100');
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('ingest batches in the embedded queue', () => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.stop();
    if (t) await fs.rm(t.dataDir, { recursive: true, force: true });
    t = null;
  });

  it('runs two batches at once by default, indexes each file once, and analyses only after them', async () => {
    const run = await scanInBatches('2');
    t = run.t;
    expect(run.observed.mostBatchesAtOnce).toBe(2);
    expect(run.observed.batchesUnderAnalysis).toBe(0);
    const assets = await readyAssets(t);
    expect(assets).toHaveLength(FILES);
    expect(new Set(assets.map((a) => a.sha256)).size).toBe(FILES);
    for (const a of assets) expect(a.phash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('runs one batch at a time with QUEUE_CONCURRENCY_INGEST=1', async () => {
    const run = await scanInBatches('1');
    t = run.t;
    expect(run.observed.mostBatchesAtOnce).toBe(1);
    expect(await readyAssets(t)).toHaveLength(FILES);
  });
});
