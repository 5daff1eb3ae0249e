import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { eventually, makeTempDir } from '../support/test-app.js';
import { redisUrl, scaleOutSkipReason, Topology } from '../support/topology.js';

describe.skipIf(scaleOutSkipReason !== null)('scheduler lock, retries and parked jobs on BullMQ', () => {
  let topology: Topology;
  let db: DatabaseHandle;
  let root: string;

  beforeAll(async () => {
    root = await makeTempDir('retry-lib');
    topology = await Topology.create({
      redisUrl: redisUrl as string,
      env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '200', JOB_SWEEP_MS: '1000' },
    });
    db = await topology.openDatabase();
  });

  afterAll(async () => {
    await db.close();
    await topology.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('lets only one of two schedulers act, and the other take over when it dies', async () => {
    const first = topology.start('scheduler', 'scheduler-1');
    await topology.waitForLog(first, /scheduler acting/);
    const second = topology.start('scheduler', 'scheduler-2');
    await topology.waitForLog(second, /photo-sync scheduler is running/);
    expect(second.output()).not.toContain('scheduler acting');

    first.child.kill('SIGKILL');
    await first.exited;
    // The lock dies with the first one's connection; the second sees it free at its next try.
    await topology.waitForLog(second, /scheduler acting/, 30_000);
    expect(await topology.stop(second)).toBe(0);
  });

  it('retries a failing job with backoff, parks it with its error, and runs it again on request', async () => {
    const server = topology.start('server', 'server');
    const url = await topology.serverUrl(server);
    const worker = topology.start('worker', 'worker');
    await topology.waitForLog(worker, /photo-sync worker is running/);
    const auth = await topology.signIn(url);

    const library = path.join(root, 'photos');
    await writeFileDeep(path.join(library, 'IMG_1.JPG'), await makeJpeg({ seed: 5 }));
    const { id: libraryId, scanJobId } = await topology.addLibrary(url, auth, library);
    await eventually(
      async () =>
        (await db.db.selectFrom('jobs').select('status').where('id', '=', scanJobId).executeTakeFirst())
          ?.status === 'completed' || undefined,
      60_000,
      'the first scan',
    );

    // The library's folder goes away (an unmounted disk): every attempt fails.
    const away = path.join(root, 'unmounted');
    await fs.rename(library, away);
    const scan = await fetch(`${url}/api/libraries/${libraryId}/scan`, { method: 'POST', headers: auth });
    const { jobId } = (await scan.json()) as { jobId: string };
    const parked = await eventually(
      async () => {
        const row = await db.db
          .selectFrom('jobs')
          .select(['status', 'attempts', 'error'])
          .where('id', '=', jobId)
          .executeTakeFirstOrThrow();
        return row.status === 'failed' ? row : undefined;
      },
      60_000,
      'the job to be parked',
    );
    expect(parked.attempts).toBe(3);
    expect(parked.error).toMatch(/not reachable/);
    const shown = (await (await fetch(`${url}/api/jobs/${jobId}`, { headers: auth })).json()) as {
      status: string;
      error: string;
    };
    expect(shown).toMatchObject({ status: 'failed', error: parked.error });

    // Only a failed job can be retried.
    const notFailed = await fetch(`${url}/api/jobs/${scanJobId}/retry`, { method: 'POST', headers: auth });
    expect(notFailed.status).toBe(409);

    // The disk is back: retry runs it to completion.
    await fs.rename(away, library);
    const retried = await fetch(`${url}/api/jobs/${jobId}/retry`, { method: 'POST', headers: auth });
    expect(retried.status).toBe(202);
    // The same job goes back to the queue (same id in the database and in BullMQ).
    expect(((await retried.json()) as { jobId: string }).jobId).toBe(jobId);
    await eventually(
      async () =>
        (await db.db.selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirst())
          ?.status === 'completed' || undefined,
      60_000,
      'the retried job to complete',
    );
    expect(await topology.stop(worker)).toBe(0);
  });
});
