import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, Page } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface GroupJson {
  id: string;
  keeperAssetId: string;
}

/**
 * The rendered-page cache of the timeline and duplicates list: a repeated request is answered from
 * it (x-cache: hit), and every change — a new file, a removed one, a decision, a share — shows in
 * the very next request; a page is never served to another user, and a 304 only confirms bytes the
 * client already has.
 */
describe('page cache of the list routes', () => {
  let root: string;
  let t: TestApp;
  let bob: TestUser;
  let libraryId: string;

  const timeline = (as?: TestUser, headers: Record<string, string> = {}) =>
    t.request<Page<AssetJson>>('GET', '/api/assets?limit=50', { ...(as ? { as } : {}), headers });
  const paths = (page: Page<AssetJson>) => page.items.map((a) => path.relative(root, a.path)).sort();
  const rescan = async () => {
    const res = await t.request('POST', `/api/libraries/${libraryId}/scan`);
    expect(res.status).toBe(202);
    await t.app.queue.whenIdle();
  };

  beforeAll(async () => {
    root = await makeTempDir('page-cache');
    const picture = await makeJpeg({ seed: 11, width: 640, height: 480 });
    await writeFileDeep(path.join(root, 'Albums/IMG_1.JPG'), picture);
    await writeFileDeep(path.join(root, 'Downloads/IMG_1.JPG'), picture);
    await writeFileDeep(path.join(root, 'Albums/IMG_2.JPG'), await makeJpeg({ seed: 12 }));
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    libraryId = (await t.get<Page<{ id: string }>>('/api/libraries')).body.items[0]!.id;
    bob = await t.createUser('bob@example.com');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers a repeated page from the cache, and shows a new file in the next request', async () => {
    const first = await timeline();
    const again = await timeline();
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.body).toEqual(first.body);
    expect(paths(again.body)).toEqual(['Albums/IMG_1.JPG', 'Albums/IMG_2.JPG', 'Downloads/IMG_1.JPG']);

    await writeFileDeep(path.join(root, 'Albums/IMG_3.JPG'), await makeJpeg({ seed: 13 }));
    await rescan();
    const after = await timeline();
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(paths(after.body)).toContain('Albums/IMG_3.JPG');
  });

  it('drops a removed asset from the timeline and its group from the duplicates list', async () => {
    const groups = await t.get<Page<GroupJson>>('/api/duplicates?kind=exact');
    expect(groups.body.items).toHaveLength(1);
    expect((await t.get<Page<GroupJson>>('/api/duplicates?kind=exact')).headers.get('x-cache')).toBe('hit');
    expect((await timeline()).headers.get('x-cache')).toBe('hit');
    const group = groups.body.items[0]!;
    const copy = (await timeline()).body.items.find((a) => a.path.endsWith('Downloads/IMG_1.JPG'))!;

    const applied = await t.request<{ jobId: string }>('POST', `/api/duplicates/${group.id}/apply`, {
      body: { keepAssetIds: [group.keeperAssetId] },
    });
    expect(applied.status).toBe(202);
    await t.app.queue.whenIdle();

    expect(paths((await timeline()).body)).not.toContain('Downloads/IMG_1.JPG');
    expect((await timeline()).body.items.map((a) => a.id)).not.toContain(copy.id);
    const open = await t.get<Page<GroupJson>>('/api/duplicates?kind=exact');
    expect(open.body.items.map((g) => g.id)).not.toContain(group.id);
  });

  it('never serves one user the page rendered for another, and follows share changes', async () => {
    const admins = await timeline();
    expect(admins.body.items.length).toBeGreaterThan(0);
    expect((await timeline()).headers.get('x-cache')).toBe('hit');

    // Same URL, another user who sees no library: their own (empty) page, not the admin's.
    const strangers = await timeline(bob);
    expect(strangers.status).toBe(200);
    expect(strangers.body.items).toEqual([]);
    // Even presenting the admin's ETag gets bob his own bytes, not a 304 for the admin's.
    const withAdminsTag = await timeline(bob, { 'if-none-match': admins.headers.get('etag')! });
    expect(withAdminsTag.status).toBe(200);
    expect(withAdminsTag.body.items).toEqual([]);
    expect((await timeline(bob)).headers.get('x-cache')).toBe('hit');

    await t.request('PUT', `/api/libraries/${libraryId}/shares/${bob.id}`, { body: { role: 'viewer' } });
    const shared = await timeline(bob);
    expect(shared.body.items.map((a) => a.id)).toEqual(admins.body.items.map((a) => a.id));

    await t.request('DELETE', `/api/libraries/${libraryId}/shares/${bob.id}`);
    expect((await timeline(bob)).body.items).toEqual([]);
  });

  it('answers 304 to a client that has the current bytes, and 200 once they changed', async () => {
    const page = await timeline();
    const etag = page.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(page.headers.get('cache-control')).toBe('private, no-cache');

    const unchanged = await timeline(undefined, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(etag);

    await writeFileDeep(path.join(root, 'Albums/IMG_4.JPG'), await makeJpeg({ seed: 14 }));
    await rescan();
    const changed = await timeline(undefined, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(paths(changed.body)).toContain('Albums/IMG_4.JPG');
  });

  it('renders afresh on Cache-Control: no-cache, with the same content', async () => {
    const cached = await timeline();
    const fresh = await timeline(undefined, { 'cache-control': 'no-cache' });
    expect(fresh.headers.get('x-cache')).toBe('bypass');
    expect(fresh.body).toEqual(cached.body);
    expect(fresh.headers.get('etag')).toBe(cached.headers.get('etag'));
  });

  it('caches each page of a paginated list separately', async () => {
    const first = await t.get<Page<AssetJson>>('/api/assets?limit=2');
    const second = await t.get<Page<AssetJson>>(`/api/assets?limit=2&cursor=${first.body.nextCursor}`);
    const secondAgain = await t.get<Page<AssetJson>>(`/api/assets?limit=2&cursor=${first.body.nextCursor}`);
    expect(secondAgain.headers.get('x-cache')).toBe('hit');
    expect(secondAgain.body).toEqual(second.body);
    const ids = [...first.body.items, ...second.body.items].map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
