import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import type { TestApp, TestUser } from '../../support/test-app.js';
import { startTrashOwners, type TrashFixture } from '../../support/trash-fixture.js';

/** Each library may keep its own trash retention, set by its owner (or an admin) and honoured by every purge. */
describe('per-library trash retention', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let libs: Record<'alice' | 'bob', string>;
  let trash: TrashFixture;
  let stop: () => Promise<void>;
  const trashCount = (libraryId: string) => trash.count(libraryId);
  const trashFiles = (who: 'alice' | 'bob') => trash.files(who);

  beforeAll(async () => {
    ({ t, alice, bob, libs, trash, stop } = await startTrashOwners('retention-base', [51, 52]));
    // Both trashed ten days ago: past a 7-day retention, within the server's 30 days.
    await t.app.database.db
      .updateTable('trash_items')
      .set({ trashed_at: new Date(Date.now() - 10 * 24 * 3600 * 1000) })
      .execute();
  });
  afterAll(() => stop());

  const setRetention = (as: TestUser, id: string, trashRetentionDays: unknown) =>
    t.request<ProblemJson & { trashRetentionDays: number | null }>('PATCH', `/api/libraries/${id}`, {
      as,
      body: { trashRetentionDays },
    });

  it('only whole days from 1 to 3650, or null, are accepted', async () => {
    for (const bad of [0, -1, 1.5, 3651, '7', true]) {
      const res = await setRetention(alice, libs.alice, bad);
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.title).toBeTruthy();
    }
    const lib = await t.get<{ trashRetentionDays: number | null }>(`/api/libraries/${libs.alice}`, alice);
    expect(lib.body.trashRetentionDays).toBeNull();
  });

  it('another user cannot see it (404); the owner and an admin may set it', async () => {
    expect((await setRetention(bob, libs.alice, 7)).status).toBe(404);
    const byAdmin = await setRetention(t.admin, libs.bob, 365);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.trashRetentionDays).toBe(365);
    const byOwner = await setRetention(alice, libs.alice, 7);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.trashRetentionDays).toBe(7);
    const audit = await t.get<{ items: { action: string; target: string }[] }>('/api/audit');
    expect(audit.body.items.filter((e) => e.action === 'library.trash-retention-changed')).toHaveLength(2);
  });

  it("a purge honours each library's own retention", async () => {
    // Alice keeps 7 days (her ten-day-old file goes), Bob 365 (his stays), whoever asks.
    const res = await t.request<{ jobId: string }>('POST', '/api/trash/purge', { body: {} });
    expect(res.status).toBe(202);
    await t.app.queue.whenIdle();
    expect(await trashCount(libs.alice)).toBe(0);
    expect(await trashFiles('alice')).toEqual([]);
    expect(await trashCount(libs.bob)).toBe(1);
    expect(await trashFiles('bob')).toHaveLength(1);
    // Back to the server's 30 days: Bob's ten-day-old file still stays.
    expect((await setRetention(bob, libs.bob, null)).body.trashRetentionDays).toBeNull();
    await t.request('POST', '/api/trash/purge', { body: {} });
    await t.app.queue.whenIdle();
    expect(await trashCount(libs.bob)).toBe(1);
  });
});
