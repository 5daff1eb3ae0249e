import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { eventually } from '../support/test-app.js';
import { redisUrl, scaleOutSkipReason, Topology, writePhotoFolder } from '../support/topology.js';

const PHOTOS = 40;

async function readyCount(db: DatabaseHandle): Promise<number> {
  const row = await db.db
    .selectFrom('assets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'ready')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.skipIf(scaleOutSkipReason !== null)('kill -9 of a worker in the middle of an ingest', () => {
  let root: string;
  let topology: Topology;
  let db: DatabaseHandle;

  beforeAll(async () => {
    root = await writePhotoFolder('worker-crash-lib', PHOTOS, { seed: 1300, width: 3000, height: 2000 });
    topology = await Topology.create({
      redisUrl: redisUrl as string,
      // A killed worker's job goes to another after 3 s without a lock renewal.
      env: { INGEST_BATCH_SIZE: '8', INGEST_CONCURRENCY: '1', JOB_LOCK_MS: '3000' },
    });
    db = await topology.openDatabase();
  });

  afterAll(async () => {
    await db.close();
    await topology.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('resumes on a restarted worker and indexes every file exactly once', async () => {
    const server = topology.start('server', 'server');
    const url = await topology.serverUrl(server);
    const first = topology.start('worker', 'worker-1');
    await topology.waitForLog(first, /photo-sync worker is running/);
    const auth = await topology.signIn(url);
    const { scanJobId } = await topology.addLibrary(url, auth, root);

    const atKill = await eventually(
      async () => {
        const n = await readyCount(db);
        return n >= 3 ? n : undefined;
      },
      120_000,
      'a few files indexed',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const afterKill = await readyCount(db);
    expect(afterKill).toBeLessThan(PHOTOS);
    expect(atKill).toBeGreaterThan(0);

    const second = topology.start('worker', 'worker-2');
    await topology.jobCompleted(db, scanJobId, 'the scan to complete on the second worker');

    const assets = await db.db.selectFrom('assets').select(['path', 'status', 'attempts']).execute();
    expect(assets).toHaveLength(PHOTOS);
    expect(new Set(assets.map((a) => a.path)).size).toBe(PHOTOS);
    expect(assets.filter((a) => a.status !== 'ready')).toEqual([]);
    // Only the file being read at the kill can have been analysed twice; the rest once.
    expect(assets.filter((a) => a.attempts > 1).length).toBeLessThanOrEqual(1);
    expect(assets.every((a) => a.attempts <= 2)).toBe(true);
    // The interrupted batch was taken over by the second worker.
    expect(second.output()).toContain('library.ingest-batch');
    const scan = await db.db
      .selectFrom('jobs')
      .select(['done', 'total', 'failed'])
      .where('id', '=', scanJobId)
      .executeTakeFirstOrThrow();
    expect(scan).toEqual({ done: PHOTOS, total: PHOTOS, failed: 0 });
    expect(await topology.stop(second)).toBe(0);
  });
});
