import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../../support/test-app.js';

/** Purges keep each library's retention; only an admin's explicit, audited "purge now" skips it. */
describe('the trash purge honours the retention; "purge now" is explicit and audited', () => {
  let t: TestApp;
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  const libs: Record<'alice' | 'bob', string> = { alice: '', bob: '' };

  const trashCount = async (libraryId: string) =>
    (
      await t.app.database.db
        .selectFrom('trash_items')
        .select('id')
        .where('library_id', '=', libraryId)
        .where('restored_at', 'is', null)
        .execute()
    ).length;
  const trashFiles = async (who: 'alice' | 'bob') =>
    fs.readdir(path.join(base, who, '.photo-sync-trash')).catch(() => []);

  /** A library with an exact-duplicate pair whose copy is moved to the trash. */
  async function libraryWithTrash(who: 'alice' | 'bob', user: TestUser, seed: number): Promise<string> {
    const picture = await makeJpeg({ seed });
    await writeFileDeep(path.join(base, who, 'a/IMG_1.JPG'), picture);
    await writeFileDeep(path.join(base, who, 'b/IMG_1 copy.JPG'), picture);
    const lib = await t.request<{ id: string }>('POST', '/api/libraries', {
      as: user,
      body: { roots: [path.join(base, who)] },
    });
    expect(lib.status).toBe(201);
    await t.app.queue.whenIdle();
    const rows = await t.app.database.db
      .selectFrom('assets')
      .select(['id', 'path'])
      .where('library_id', '=', lib.body.id)
      .execute();
    const keeper = rows.find((r) => r.path.endsWith('a/IMG_1.JPG'))!;
    const copy = rows.find((r) => r.path.endsWith('copy.JPG'))!;
    const removed = await t.request('POST', '/api/actions', {
      as: user,
      body: { items: [{ kind: 'remove', assetId: copy.id, keepAssetIds: [keeper.id] }] },
    });
    expect(removed.status).toBe(202);
    await t.app.queue.whenIdle();
    expect(await trashCount(lib.body.id)).toBe(1);
    return lib.body.id;
  }

  beforeAll(async () => {
    base = await makeTempDir('purge-base');
    t = await startTestApp({ env: { LIBRARY_BASE: base, TRASH_RETENTION_DAYS: '30' } });
    alice = await t.createUser('alice@example.com');
    bob = await t.createUser('bob@example.com');
    libs.alice = await libraryWithTrash('alice', alice, 41);
    libs.bob = await libraryWithTrash('bob', bob, 42);
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('nobody shortens the retention with olderThanDays: 400, and nothing is deleted', async () => {
    for (const as of [alice, t.admin]) {
      for (const olderThanDays of [0, 29]) {
        const res = await t.request<ProblemJson>('POST', '/api/trash/purge', { as, body: { olderThanDays } });
        expect(res.status, `${as.email} ${olderThanDays}`).toBe(400);
        expect(res.body.detail).toMatch(/at least 30 days/);
      }
    }
    // The retention itself (or longer) is fine, and purges nothing this young.
    const ok = await t.request<{ jobId: string }>('POST', '/api/trash/purge', { as: alice, body: {} });
    expect(ok.status).toBe(202);
    await t.app.queue.whenIdle();
    expect(await trashCount(libs.alice)).toBe(1);
    expect(await trashCount(libs.bob)).toBe(1);
    expect(await trashFiles('alice')).toHaveLength(1);
  });

  it('"purge now" is for admins only, and names existing libraries', async () => {
    const user = await t.request<ProblemJson>('POST', '/api/trash/purge', {
      as: alice,
      body: { now: true, libraryIds: [libs.alice] },
    });
    expect(user.status).toBe(403);
    const none = await t.request<ProblemJson>('POST', '/api/trash/purge', { body: { now: true } });
    expect(none.status).toBe(400);
    const unknown = await t.request<ProblemJson>('POST', '/api/trash/purge', {
      body: { now: true, libraryIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknown.status).toBe(404);
    expect(await trashCount(libs.alice)).toBe(1);
  });

  it("an admin's purge now empties only the named library, says which, and is audited", async () => {
    const res = await t.request<{ jobId: string; libraries: { id: string; name: string }[] }>(
      'POST',
      '/api/trash/purge',
      { body: { now: true, libraryIds: [libs.bob] } },
    );
    expect(res.status).toBe(202);
    expect(res.body.libraries).toEqual([{ id: libs.bob, name: 'bob' }]);
    await t.app.queue.whenIdle();
    expect(await trashCount(libs.bob)).toBe(0);
    expect(await trashFiles('bob')).toEqual([]);
    expect(await trashCount(libs.alice)).toBe(1);
    expect(await trashFiles('alice')).toHaveLength(1);
    const audit = await t.get<{ items: { action: string; detail: unknown }[] }>('/api/audit');
    const entry = audit.body.items.find((e) => e.action === 'trash.purge-now');
    expect(JSON.stringify(entry)).toContain('"name":"bob"');
  });
});
