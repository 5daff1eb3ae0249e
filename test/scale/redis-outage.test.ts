import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { PrivateRedis, redisServerAvailable } from '../support/redis-server.js';
import { eventually } from '../support/test-app.js';
import { scaleOutSkipReason, Topology, writePhotoFolder } from '../support/topology.js';

const PHOTOS = 40;
const OUTAGE_MS = 10_000;

const skipReason =
  scaleOutSkipReason ?? (redisServerAvailable ? null : 'redis outage test skipped: no redis-server binary');
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('Redis stopped for 10 s in the middle of an ingest', () => {
  let root: string;
  let redis: PrivateRedis;
  let topology: Topology;
  let db: DatabaseHandle;

  beforeAll(async () => {
    root = await writePhotoFolder('redis-outage-lib', PHOTOS, { seed: 1700, width: 2400, height: 1600 });
    redis = await PrivateRedis.start(6390);
    topology = await Topology.create({
      redisUrl: redis.url,
      env: {
        INGEST_BATCH_SIZE: '4',
        INGEST_CONCURRENCY: '1',
        JOB_LOCK_MS: '3000',
        JOB_SWEEP_MS: '2000',
      },
    });
    db = await topology.openDatabase();
  });

  afterAll(async () => {
    await db.close();
    await topology.dispose();
    await redis.kill();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('loses no job: the database re-dispatches what Redis forgot, and the scan completes', async () => {
    const server = topology.start('server', 'server');
    const url = await topology.serverUrl(server);
    const workers = [topology.start('worker', 'worker-a'), topology.start('worker', 'worker-b')];
    const scheduler = topology.start('scheduler', 'scheduler');
    for (const w of workers) await topology.waitForLog(w, /photo-sync worker is running/);
    await topology.waitForLog(scheduler, /scheduler acting/);

    const auth = await topology.signIn(url);
    const { scanJobId } = await topology.addLibrary(url, auth, root);
    await eventually(
      async () => {
        const row = await db.db
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'ready')
          .executeTakeFirstOrThrow();
        return Number(row.n) >= 4 ? true : undefined;
      },
      120_000,
      'the ingest to be under way',
    );

    await redis.kill();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // While Redis is down the API still answers from the database.
    const during = await fetch(`${url}/api/jobs/${scanJobId}`, { headers: auth });
    expect(during.status).toBe(200);
    await redis.start();

    const scan = await topology.jobCompleted(db, scanJobId, 'the scan to complete after Redis came back');
    expect(scan).toEqual({ status: 'completed', done: PHOTOS, total: PHOTOS, failed: 0 });
    expect(scheduler.output()).toContain('dispatched again from the database');

    const assets = await db.db.selectFrom('assets').select(['path', 'status']).execute();
    expect(assets).toHaveLength(PHOTOS);
    expect(new Set(assets.map((a) => a.path)).size).toBe(PHOTOS);
    expect(assets.filter((a) => a.status !== 'ready')).toEqual([]);
    const unfinished = await db.db
      .selectFrom('jobs')
      .select(['type', 'status'])
      .where('status', 'in', ['queued', 'running', 'waiting', 'failed'])
      .execute();
    // The follow-up analyses (insights, then duplicates) may still be queued or running; nothing
    // else is left behind, and nothing failed.
    const followUps = new Set(['insights.analyse', 'duplicates.analyse']);
    expect(unfinished.filter((j) => !followUps.has(j.type) || j.status === 'failed')).toEqual([]);
  });
});
