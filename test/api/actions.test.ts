import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, Page, ProblemJson } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface GroupJson {
  id: string;
  keeperAssetId: string;
  members: { asset: { id: string; path: string } }[];
}
interface JobDetailJson {
  status: string;
  progress: { total: number; done: number; failed: number };
  results: { assetId: string; status: string; error: string | null }[] | null;
}
interface TrashJson {
  id: string;
  assetId: string;
  originalPath: string;
  sizeBytes: number;
  thumbnailUrl: string;
}

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

describe('applying duplicate decisions: trash, merge, restore, purge, read-only export', () => {
  let root: string;
  let roRoot: string;
  let t: TestApp;
  let bob: TestUser;
  let carol: TestUser;
  let original: Buffer;
  const keeperPath = () => path.join(root, 'Pictures/2024/IMG_1.JPG');
  const copyPath = () => path.join(root, 'Downloads/IMG_1.JPG');

  const exactGroupOf = async (libraryId: string) => {
    const page = await t.get<Page<{ id: string }>>(
      `/api/duplicates?kind=exact&library=${libraryId}&status=open`,
    );
    const [g] = page.body.items;
    return (await t.get<GroupJson>(`/api/duplicates/${g!.id}`)).body;
  };
  const assetIdAt = async (p: string) =>
    (
      await t.app.database.db
        .selectFrom('assets')
        .select('id')
        .where('path', '=', p)
        .executeTakeFirstOrThrow()
    ).id;
  const metadataOf = (id: string) =>
    t.app.database.db
      .selectFrom('assets')
      .select(['favourite', 'rating', 'tags', 'description', 'gps_latitude', 'gps_longitude', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const albumsOf = async (id: string) =>
    (
      await t.app.database.db
        .selectFrom('album_assets')
        .select('album_id')
        .where('asset_id', '=', id)
        .execute()
    ).map((r) => r.album_id);
  const job = async (jobId: string) => {
    await t.app.queue.whenIdle();
    return (await t.get<JobDetailJson>(`/api/jobs/${jobId}`)).body;
  };

  let libraryId: string;
  let roLibraryId: string;

  beforeAll(async () => {
    root = await makeTempDir('actions');
    roRoot = await makeTempDir('actions-ro');
    original = await makeJpeg({
      seed: 11,
      width: 1600,
      height: 1200,
      dateTimeOriginal: '2024:05:01 10:00:00',
    });
    await writeFileDeep(keeperPath(), original);
    await writeFileDeep(copyPath(), original);
    const other = await makeJpeg({ seed: 12, width: 1600, height: 1200 });
    await writeFileDeep(path.join(roRoot, 'a/IMG_9.JPG'), other);
    await writeFileDeep(path.join(roRoot, "b/it's a copy.JPG"), other);
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    libraryId = (await t.get<Page<{ id: string }>>('/api/libraries')).body.items[0]!.id;
    const ro = await t.request<{ id: string }>('POST', '/api/libraries', {
      body: { roots: [roRoot], readOnly: true },
    });
    roLibraryId = ro.body.id;
    await t.app.queue.whenIdle();
    bob = await t.createUser('bob@example.com');
    carol = await t.createUser('carol@example.com');
    await t.request('PUT', `/api/libraries/${libraryId}/shares/${bob.id}`, { body: { role: 'viewer' } });

    // The copy carries metadata the keeper lacks: it must survive the removal.
    const db = t.app.database.db;
    const copyId = await assetIdAt(copyPath());
    const keeperId = await assetIdAt(keeperPath());
    await db
      .updateTable('assets')
      .set({
        favourite: true,
        rating: 4,
        tags: JSON.stringify(['rome', 'trip']),
        description: 'Trevi at dawn',
        gps_latitude: 41.9,
        gps_longitude: 12.48,
      })
      .where('id', '=', copyId)
      .execute();
    await db
      .updateTable('assets')
      .set({ rating: 2, tags: JSON.stringify(['Trip']), description: null })
      .where('id', '=', keeperId)
      .execute();
    const album = await db
      .insertInto('albums')
      .values({ name: 'Rome 2024' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('album_assets').values({ album_id: album.id, asset_id: copyId }).execute();
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(roRoot, { recursive: true, force: true });
  });

  it('hides a group from a user without a share (404) and refuses a viewer (403)', async () => {
    const group = await exactGroupOf(libraryId);
    const keep = { keepAssetIds: [group.keeperAssetId] };
    const stranger = await t.request<ProblemJson>('POST', `/api/duplicates/${group.id}/apply`, {
      as: carol,
      body: keep,
    });
    expect(stranger.status).toBe(404);
    expect((await t.get(`/api/duplicates/${group.id}`, carol)).status).toBe(404);
    expect((await t.get(`/api/duplicates/${group.id}`, bob)).status).toBe(200);
    const viewer = await t.request<ProblemJson>('POST', `/api/duplicates/${group.id}/apply`, {
      as: bob,
      body: keep,
    });
    expect(viewer.status).toBe(403);
    expect(viewer.body.detail).toMatch(/viewer/);
    expect(await exists(copyPath())).toBe(true);
  });

  it('moves the removed copy into the trash (same bytes), merges its metadata into the keeper', async () => {
    const group = await exactGroupOf(libraryId);
    const keeperId = await assetIdAt(keeperPath());
    const copyId = await assetIdAt(copyPath());
    expect(group.keeperAssetId).toBe(keeperId);

    const res = await t.request<{ jobId: string }>('POST', `/api/duplicates/${group.id}/apply`, {
      body: { keepAssetIds: [keeperId] },
    });
    expect(res.status).toBe(202);
    const done = await job(res.body.jobId);
    expect(done).toMatchObject({ status: 'completed', progress: { total: 1, done: 1, failed: 0 } });
    expect(done.results).toEqual([
      expect.objectContaining({ assetId: copyId, status: 'applied', error: null }),
    ]);

    expect(await exists(copyPath())).toBe(false);
    const trash = (await t.get<Page<TrashJson>>('/api/trash')).body.items;
    expect(trash).toHaveLength(1);
    expect(trash[0]).toMatchObject({ assetId: copyId, originalPath: copyPath(), sizeBytes: original.length });
    const trashed = await fs.readdir(path.join(root, '.photo-sync-trash'), { recursive: true });
    const file = trashed.find((f) => f.endsWith('IMG_1.JPG'));
    expect(file).toBeDefined();
    expect((await fs.readFile(path.join(root, '.photo-sync-trash', file!))).equals(original)).toBe(true);
    expect((await t.get(trash[0]!.thumbnailUrl)).status).toBe(200);

    const keeper = await metadataOf(keeperId);
    expect(keeper).toMatchObject({
      favourite: true,
      rating: 4,
      tags: ['Trip', 'rome'],
      description: 'Trevi at dawn',
      gps_latitude: 41.9,
      gps_longitude: 12.48,
    });
    expect(await albumsOf(keeperId)).toHaveLength(1);
    const timeline = (await t.get<Page<AssetJson>>(`/api/assets?library=${libraryId}`)).body.items;
    expect(timeline.map((a) => a.id)).not.toContain(copyId);
    // The trashed file is not "missing" after a rescan: the scanner leaves it alone.
    await t.request('POST', `/api/libraries/${libraryId}/scan`);
    await t.app.queue.whenIdle();
    expect((await metadataOf(copyId)).status).toBe('trashed');
  });

  it('restores to the original path, reverts the merge on the keeper, and re-indexes', async () => {
    const keeperId = await assetIdAt(keeperPath());
    const [item] = (await t.get<Page<TrashJson>>('/api/trash')).body.items;
    expect((await t.request('POST', `/api/trash/${item!.id}/restore`, { as: bob })).status).toBe(403);
    expect((await t.request('POST', `/api/trash/${item!.id}/restore`, { as: carol })).status).toBe(404);

    const res = await t.request<{ assetId: string; restoredPath: string }>(
      'POST',
      `/api/trash/${item!.id}/restore`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ assetId: item!.assetId, restoredPath: copyPath() });
    expect((await fs.readFile(copyPath())).equals(original)).toBe(true);
    await t.app.queue.whenIdle();
    expect(await metadataOf(keeperId)).toMatchObject({
      favourite: false,
      rating: 2,
      tags: ['Trip'],
      description: null,
      gps_latitude: null,
    });
    expect(await albumsOf(keeperId)).toEqual([]);
    expect((await metadataOf(item!.assetId)).status).toBe('ready');
    expect((await t.get<Page<TrashJson>>('/api/trash')).body.items).toEqual([]);
    const again = await t.request<ProblemJson>('POST', `/api/trash/${item!.id}/restore`);
    expect(again.status).toBe(409);

    const audit =
      await t.get<Page<{ action: string; userEmail: string | null; ip: string | null }>>('/api/audit');
    const actions = audit.body.items.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['actions.requested', 'actions.applied', 'trash.restored', 'library.shared']),
    );
    const restoredEntry = audit.body.items.find((a) => a.action === 'trash.restored');
    expect(restoredEntry?.userEmail).toBe(t.admin.email);
    expect(restoredEntry?.ip).toMatch(/127\.0\.0\.1/);
    expect((await t.get('/api/audit', bob)).status).toBe(403);
  });

  it('restores beside the original with a suffix when the path is taken, and purges on request', async () => {
    const copyId = await assetIdAt(copyPath());
    const keeperId = await assetIdAt(keeperPath());
    const res = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: copyId, keepAssetIds: [keeperId], reason: 'test' }] },
    });
    expect(res.status).toBe(202);
    expect((await job(res.body.jobId)).results?.[0]?.status).toBe('applied');
    const squatter = Buffer.from('someone else put a file here');
    await fs.writeFile(copyPath(), squatter);
    const [item] = (await t.get<Page<TrashJson>>('/api/trash')).body.items;
    const restored = await t.request<{ restoredPath: string }>('POST', `/api/trash/${item!.id}/restore`);
    expect(restored.body.restoredPath).toBe(path.join(root, 'Downloads/IMG_1 (restored).JPG'));
    expect((await fs.readFile(copyPath())).equals(squatter)).toBe(true);
    expect((await fs.readFile(restored.body.restoredPath)).equals(original)).toBe(true);
    await t.app.queue.whenIdle();

    // Trash it again, then an admin empties this library's trash now: the only deletion photo-sync does.
    const restoredId = await assetIdAt(restored.body.restoredPath);
    const again = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: restoredId, keepAssetIds: [keeperId] }] },
    });
    await job(again.body.jobId);
    const trashPath = path.join(root, '.photo-sync-trash');
    expect((await fs.readdir(trashPath)).length).toBe(1);
    const purge = await t.request<{ jobId: string }>('POST', '/api/trash/purge', {
      body: { now: true, libraryIds: [libraryId] },
    });
    expect(purge.status).toBe(202);
    expect(await job(purge.body.jobId)).toMatchObject({
      status: 'completed',
      progress: { done: 1, failed: 0 },
    });
    expect(await fs.readdir(trashPath)).toEqual([]);
    expect((await t.get<Page<TrashJson>>('/api/trash')).body.items).toEqual([]);
    expect(await exists(keeperPath())).toBe(true);
  });

  it('records a per-item failure without touching anything, and retries just the failed item', async () => {
    const extra = path.join(root, 'Downloads/IMG_1 again.JPG');
    await fs.writeFile(extra, original);
    await t.request('POST', `/api/libraries/${libraryId}/scan`);
    await t.app.queue.whenIdle();
    const extraId = await assetIdAt(extra);
    const keeperId = await assetIdAt(keeperPath());
    const keeperBefore = await metadataOf(keeperId);
    // The file disappears behind photo-sync's back before the job runs.
    await fs.rename(extra, `${extra}.away`);
    const res = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: extraId, keepAssetIds: [keeperId] }] },
    });
    const failed = await job(res.body.jobId);
    expect(failed.progress).toMatchObject({ total: 1, done: 0, failed: 1 });
    expect(failed.results?.[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/no longer there/) as unknown,
    });
    expect(await metadataOf(keeperId)).toEqual(keeperBefore);
    expect((await metadataOf(extraId)).status).toBe('ready');

    await fs.rename(`${extra}.away`, extra);
    const retry = await t.request<{ jobId: string }>('POST', `/api/jobs/${res.body.jobId}/retry`);
    expect(retry.status).toBe(202);
    expect((await job(retry.body.jobId)).results?.[0]?.status).toBe('applied');
    expect(await exists(extra)).toBe(false);
    expect((await t.request('POST', `/api/jobs/${res.body.jobId}/retry`)).status).toBe(409);
  });

  it('records removals in a read-only library and exports them, writing nothing there', async () => {
    const before = await fs.readdir(roRoot, { recursive: true });
    const group = await exactGroupOf(roLibraryId);
    const keep = group.members.find((m) => m.asset.path.endsWith('IMG_9.JPG'))!.asset;
    const res = await t.request<{ jobId: string }>('POST', `/api/duplicates/${group.id}/apply`, {
      body: { keepAssetIds: [keep.id] },
    });
    const done = await job(res.body.jobId);
    expect(done.results?.map((r) => r.status)).toEqual(['recorded']);
    expect(await fs.readdir(roRoot, { recursive: true })).toEqual(before);

    const csv = await t.get<string>(`/api/libraries/${roLibraryId}/move-list.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain(`"${path.join(roRoot, "b/it's a copy.JPG")}"`);
    expect(csv.body).toContain(keep.path);
    const sh = await t.get<string>(`/api/libraries/${roLibraryId}/move-list.sh`);
    expect(sh.body).toContain('mv -n --');
    expect(sh.body).not.toMatch(/\brm\b/);
    expect(sh.body).toContain(`'${path.join(roRoot, 'b/it')}'\\''s a copy.JPG'`);
    expect((await t.get(`/api/libraries/${roLibraryId}/move-list.csv`, carol)).status).toBe(404);
  });
});
