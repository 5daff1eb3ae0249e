import fs from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../../support/api-types.js';
import type { App } from '../../../src/app.js';
import { startServerOn } from '../../support/web-server.js';
import { insertSyntheticAssets } from '../../support/synthetic-assets.js';
import { createFreshPostgresDatabase, postgresUrl } from '../../support/test-database.js';
import { httpRequest, loginAs, makeTempDir, setupAdmin, type TestUser } from '../../support/test-app.js';

const ASSETS = 5_000;

/** The all-in-one app on a data dir and database that outlive it, so a second start sees the first's state. */
const startOn = (dataDir: string, databaseUrl: string | undefined) =>
  startServerOn(dataDir, { DATABASE_URL: databaseUrl });

/**
 * DELETE /api/libraries/:id answers at once (202 with the deletion's job) and the library is gone
 * from every list, count and search from that moment; its rows go in the background, and a
 * deletion a crash interrupted continues at the next start, the library staying hidden meanwhile.
 */
describe('deleting a library hides it at once and finishes in the background', () => {
  let dataDir: string;
  let root: string;
  let postgresDb: { url: string; drop: () => Promise<void> } | null = null;
  let running: { app: App; baseUrl: string } | null = null;
  let admin: TestUser;

  const as = (method: string, url: string, body?: unknown) =>
    httpRequest<unknown>(running!.baseUrl, method, url, { token: admin.accessToken, body });
  const rowsOf = async (libraryId: string) =>
    Number(
      (
        await running!.app.database.db
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('library_id', '=', libraryId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    dataDir = await makeTempDir('delete-bg');
    root = await makeTempDir('delete-bg-lib');
    postgresDb = postgresUrl ? await createFreshPostgresDatabase(postgresUrl) : null;
    running = await startOn(dataDir, postgresDb?.url);
    admin = await setupAdmin(running.baseUrl);
  });
  afterAll(async () => {
    await running?.app.stop();
    await postgresDb?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(root, { recursive: true, force: true });
  });

  async function libraryOf(folder: string, assets: number): Promise<string> {
    await fs.mkdir(`${root}/${folder}`);
    const res = await as('POST', '/api/libraries', { roots: [`${root}/${folder}`] });
    expect(res.status).toBe(201);
    const id = (res.body as { id: string }).id;
    await running!.app.queue.whenIdle();
    await insertSyntheticAssets(running!.app.database.db, id, `${root}/${folder}`, assets);
    return id;
  }

  it('answers 202 with a job, hides the library everywhere at once, then removes its rows', async () => {
    const keep = await libraryOf('keep', 10);
    const gone = await libraryOf('gone', ASSETS);
    const assetId = (
      await running!.app.database.db
        .selectFrom('assets')
        .select('id')
        .where('library_id', '=', gone)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
    const before = await as('GET', `/api/assets?library=${gone}&limit=1`);
    expect(before.status).toBe(200);

    // What the API shows from here on holds however far the background job has got.
    const res = await as('DELETE', `/api/libraries/${gone}`);
    expect(res.status).toBe(202);
    const body = res.body as { id: string; state: string; jobId: string };
    expect(body).toMatchObject({ id: gone, state: 'deleting' });

    const libraries = (await as('GET', '/api/libraries')).body as Page<{ id: string }>;
    expect(libraries.items.map((l) => l.id)).toEqual([keep]);
    expect((await as('GET', `/api/libraries/${gone}`)).status).toBe(404);
    expect((await as('GET', `/api/assets/${assetId}`)).status).toBe(404);
    expect((await as('GET', `/api/assets/${assetId}/thumbnail`)).status).toBe(404);
    const listed = (await as('GET', '/api/assets?limit=500')).body as Page<{ libraryId: string }>;
    expect(listed.items.length).toBe(10);
    expect(listed.items.every((a) => a.libraryId === keep)).toBe(true);
    const filtered = await as('GET', `/api/assets?library=${gone}&limit=1`);
    expect(filtered.status).toBe(200);
    expect((filtered.body as Page<unknown>).items).toHaveLength(0);
    // The grid shows only the kept library's ten photos.
    const timeline = (await as('GET', '/api/timeline/assets?limit=500')).body as Page<{ id: string }>;
    expect(timeline.items).toHaveLength(10);
    expect((await as('DELETE', `/api/libraries/${gone}`)).status).toBe(404);
    expect((await as('POST', `/api/libraries/${gone}/scan`)).status).toBe(404);

    await running!.app.queue.whenIdle();
    expect(await rowsOf(gone)).toBe(0);
    expect(
      await running!.app.database.db.selectFrom('libraries').select('id').where('id', '=', gone).execute(),
    ).toHaveLength(0);
    expect(await rowsOf(keep)).toBe(10);
    const job = await as('GET', `/api/jobs/${body.jobId}`);
    expect(job.status).toBe(200);
    expect((job.body as { status: string }).status).toBe('completed');
  }, 300_000);

  it('a deletion a crash interrupted continues at the next start, the library hidden meanwhile', async () => {
    const crashed = await libraryOf('crash', ASSETS);
    const unqueued = await libraryOf('unqueued', ASSETS);
    // What a process killed mid-delete leaves: the library marked, part of its rows gone, the job
    // row "running"; and one killed between marking the library and queueing its job.
    const db = running!.app.database.db;
    await sql`update libraries set deleting_at = now() where id in (${crashed}::uuid, ${unqueued}::uuid)`.execute(
      db,
    );
    await sql`delete from assets where id in (select id from assets where library_id = ${crashed}::uuid order by path limit 1000)`.execute(
      db,
    );
    await db
      .insertInto('jobs')
      .values({
        type: 'library.delete',
        library_id: null,
        payload: JSON.stringify({ libraryId: crashed }),
        status: 'running',
      })
      .execute();
    await running!.app.stop();

    running = await startOn(dataDir, postgresDb?.url);
    admin = await loginAs(running.baseUrl, admin.email);
    const libraries = (await as('GET', '/api/libraries')).body as Page<{ id: string }>;
    expect(libraries.items.map((l) => l.id)).not.toContain(crashed);
    expect(libraries.items.map((l) => l.id)).not.toContain(unqueued);
    await running.app.queue.whenIdle();
    for (const gone of [crashed, unqueued]) {
      expect(await rowsOf(gone)).toBe(0);
      expect(
        await running.app.database.db.selectFrom('libraries').select('id').where('id', '=', gone).execute(),
      ).toHaveLength(0);
    }
  }, 300_000);
});
