import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { eventually, makeTempDir } from '../support/test-app.js';
import { redisUrl, scaleOutSkipReason, Topology } from '../support/topology.js';

const PHOTOS = 48;

if (scaleOutSkipReason) console.warn(scaleOutSkipReason);

describe.skipIf(scaleOutSkipReason !== null)('two workers share one ingest', () => {
  let root: string;
  let topology: Topology;
  let db: DatabaseHandle;

  beforeAll(async () => {
    root = await makeTempDir('two-workers-lib');
    for (let i = 0; i < PHOTOS; i++)
      await writeFileDeep(
        path.join(root, `day-${i % 4}/IMG_${2000 + i}.JPG`),
        await makeJpeg({ seed: 900 + i, width: 1600, height: 1200 }),
      );
    topology = await Topology.create({
      redisUrl: redisUrl as string,
      env: { INGEST_BATCH_SIZE: '3', INGEST_CONCURRENCY: '1' },
    });
    db = await topology.openDatabase();
  });

  afterAll(async () => {
    await db.close();
    await topology.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('splits the scan into batches that both workers take, and indexes each file once', async () => {
    const workers = [topology.start('worker', 'worker-a'), topology.start('worker', 'worker-b')];
    const server = topology.start('server', 'server');
    const url = await topology.serverUrl(server);
    for (const w of workers) await topology.waitForLog(w, /photo-sync worker is running/);

    const auth = await topology.signIn(url);
    const res = await fetch(`${url}/api/libraries`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ roots: [root] }),
    });
    expect(res.status).toBe(201);
    const { scanJobId } = (await res.json()) as { scanJobId: string };

    const scan = await eventually(
      async () => {
        const job = (await (await fetch(`${url}/api/jobs/${scanJobId}`, { headers: auth })).json()) as {
          status: string;
          progress: { total: number; done: number; failed: number };
        };
        return job.status === 'completed' ? job : undefined;
      },
      120_000,
      'the scan to complete',
    );
    expect(scan.progress).toEqual({ total: PHOTOS, done: PHOTOS, failed: 0 });

    const assets = await db.db.selectFrom('assets').select(['path', 'status', 'attempts']).execute();
    expect(assets).toHaveLength(PHOTOS);
    expect(new Set(assets.map((a) => a.path)).size).toBe(PHOTOS);
    expect(assets.every((a) => a.status === 'ready')).toBe(true);
    // Each file was analysed once: no batch ran on both workers.
    expect(assets.map((a) => a.attempts)).toEqual(assets.map(() => 1));

    const batches = await db.db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('type', '=', 'library.ingest-batch')
      .where('parent_id', '=', scanJobId)
      .execute();
    expect(batches).toHaveLength(PHOTOS / 3);
    expect(batches.every((b) => b.status === 'completed' && b.attempts === 1)).toBe(true);

    // Both workers did part of it.
    const completedBy = workers.map(
      (w) =>
        w
          .output()
          .split('\n')
          .filter((l) => l.includes('library.ingest-batch') && l.includes('"job completed"')).length,
    );
    expect(completedBy[0]).toBeGreaterThan(0);
    expect(completedBy[1]).toBeGreaterThan(0);
    expect((completedBy[0] ?? 0) + (completedBy[1] ?? 0)).toBe(PHOTOS / 3);

    // The follow-up analysis ran once the last batch was done.
    await eventually(
      async () => {
        const a = await db.db
          .selectFrom('jobs')
          .select('status')
          .where('type', '=', 'duplicates.analyse')
          .where('status', '=', 'completed')
          .executeTakeFirst();
        return a;
      },
      60_000,
      'the duplicate analysis',
    );

    // SIGTERM: each worker exits 0.
    for (const w of workers) expect(await topology.stop(w)).toBe(0);
  });
});
