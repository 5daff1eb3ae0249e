import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import type { TestApp, TestUser } from '../../support/test-app.js';
import { startTrashOwners, type TrashFixture } from '../../support/trash-fixture.js';

/** Purges keep each library's retention; only an admin's explicit, audited "purge now" skips it. */
describe('the trash purge honours the retention; "purge now" is explicit and audited', () => {
  let t: TestApp;
  let alice: TestUser;
  let libs: Record<'alice' | 'bob', string>;
  let trash: TrashFixture;
  let stop: () => Promise<void>;
  const trashCount = (libraryId: string) => trash.count(libraryId);
  const trashFiles = (who: 'alice' | 'bob') => trash.files(who);

  beforeAll(async () => {
    ({ t, alice, libs, trash, stop } = await startTrashOwners('purge-base', [41, 42]));
  });
  afterAll(() => stop());

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
