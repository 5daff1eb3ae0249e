import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeImmich } from '../support/fake-immich.js';
import { makeJpeg } from '../support/images.js';
import { addVersionPair, connectImmichLibrary } from '../support/immich-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface JobJson {
  status: string;
  progress: { total: number; done: number; failed: number };
  results: { assetId: string; status: string; error: string | null }[] | null;
}
interface WriteJson {
  kind: string;
  status: string;
  immichId: string | null;
  assetIds: string[];
  error: string | null;
}

describe('Immich write-back: removals into Immich trash with metadata merge, stacks, albums, undo', () => {
  let t: TestApp;
  let immich: FakeImmich;
  let libraryId = '';
  const ext: Record<string, string> = {};
  /** photo-sync asset id of an Immich asset. */
  const local = async (externalId: string) =>
    (
      await t.app.database.db
        .selectFrom('assets')
        .select('id')
        .where('external_id', '=', externalId)
        .executeTakeFirstOrThrow()
    ).id;
  const job = async (jobId: string) => {
    await t.app.queue.whenIdle();
    return (await t.get<JobJson>(`/api/jobs/${jobId}`)).body;
  };

  beforeAll(async () => {
    immich = new FakeImmich();
    await immich.start();
    const day = '2024:07:14';
    const original = await makeJpeg({
      seed: 31,
      dateTimeOriginal: `${day} 09:00:00`,
      make: 'Canon',
      model: 'EOS R6',
    });
    ext.original = (await immich.addPhoto(original, '/photos/2024/IMG_0001.JPG')).id;
    ext.copy = (
      await immich.addPhoto(
        await sharp(original).resize(900).jpeg({ quality: 75 }).toBuffer(),
        '/photos/export/IMG_0001.jpg',
      )
    ).id;
    // An edit beside its original: a version stack.
    Object.assign(
      ext,
      await addVersionPair(
        immich,
        32,
        `${day} 11:00:00`,
        '/photos/2024/IMG_0100.JPG',
        '/photos/2024/IMG_0100-edited.jpg',
      ),
    );
    // Three frames one second apart from one body: a burst.
    for (const [i, s] of ['10:00:00', '10:00:01', '10:00:02'].entries())
      ext[`burst${i}`] = (
        await immich.addPhoto(
          await makeJpeg({ seed: 40 + i, dateTimeOriginal: `${day} ${s}`, make: 'Sony', model: 'ILCE-7M3' }),
          `/photos/burst/DSC0000${i}.JPG`,
        )
      ).id;
    // The copy carries what the keeper must inherit: favourite, rating, description, an album.
    const copy = immich.assets.get(ext.copy)!;
    copy.dto.isFavorite = true;
    copy.dto.exifInfo = { ...copy.dto.exifInfo, rating: 4, description: 'Sunset at the pier' };
    immich.albums.set('11111111-1111-4111-8111-111111111111', {
      id: '11111111-1111-4111-8111-111111111111',
      albumName: 'Holidays',
      description: '',
      assetIds: new Set([ext.copy]),
      createdAt: '2024-07-20T00:00:00.000Z',
    });
    t = await startTestApp();
    libraryId = await connectImmichLibrary(t, immich);
  });

  afterAll(async () => {
    await t.stop();
    await immich.stop();
  });

  it('removes the copy into Immich trash after merging favourite, rating, description and album into the keeper; restore undoes both', async () => {
    const copyId = await local(ext.copy!);
    const keeperId = await local(ext.original!);
    const req = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: copyId, keepAssetIds: [keeperId] }] },
    });
    expect(req.status).toBe(202);
    const done = await job(req.body.jobId);
    expect(done.status).toBe('completed');
    expect(done.results?.[0]).toMatchObject({ assetId: copyId, status: 'applied' });

    const copy = immich.assets.get(ext.copy!)!;
    const keeper = immich.assets.get(ext.original!)!;
    expect(copy.deletedAt).not.toBeNull(); // in Immich's trash, not purged
    expect(keeper.dto.isFavorite).toBe(true);
    expect(keeper.dto.exifInfo?.rating).toBe(4);
    expect(keeper.dto.exifInfo?.description).toBe('Sunset at the pier');
    expect([...immich.albums.get('11111111-1111-4111-8111-111111111111')!.assetIds].sort()).toEqual(
      [ext.copy, ext.original].sort(),
    );

    const trash = await t.get<{ items: { id: string; assetId: string }[] }>('/api/trash');
    const entry = trash.body.items.find((i) => i.assetId === copyId)!;
    const restored = await t.request('POST', `/api/trash/${entry.id}/restore`);
    expect(restored.status).toBe(200);
    expect(copy.deletedAt).toBeNull();
    expect(keeper.dto.isFavorite).toBe(false);
    expect(keeper.dto.exifInfo?.rating ?? null).toBeNull();
    expect(keeper.dto.exifInfo?.description).toBe('');
    expect([...immich.albums.get('11111111-1111-4111-8111-111111111111')!.assetIds]).toEqual([ext.copy]);
    const row = await t.app.database.db
      .selectFrom('assets')
      .select('status')
      .where('id', '=', copyId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('ready');
  });

  it('skips and reports a removal whose asset was deleted in Immich since the analysis', async () => {
    const gone = await local(ext.burst2!);
    const other = await local(ext.burst1!);
    immich.purge(ext.burst2!);
    const req = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: {
        items: [
          { kind: 'remove', assetId: gone, keepAssetIds: [] },
          { kind: 'remove', assetId: other, keepAssetIds: [] },
        ],
      },
    });
    const done = await job(req.body.jobId);
    expect(done.status).toBe('completed');
    const byAsset = new Map(done.results?.map((r) => [r.assetId, r]));
    expect(byAsset.get(gone)).toMatchObject({ status: 'skipped' });
    expect(byAsset.get(gone)?.error).toMatch(/Deleted or trashed in Immich/);
    expect(byAsset.get(other)).toMatchObject({ status: 'applied' });
    expect(immich.assets.get(ext.burst1!)?.deletedAt).not.toBeNull();
    // Put the frame back for the stacking test below.
    const trash = await t.get<{ items: { id: string; assetId: string }[] }>('/api/trash');
    const entry = trash.body.items.find((i) => i.assetId === other)!;
    expect((await t.request('POST', `/api/trash/${entry.id}/restore`)).status).toBe(200);
  });

  it('creates the album of an accepted suggestion, pushes version and burst stacks (primary first), survives a 5xx, and undoes them', async () => {
    // Re-read what changed (the purged frame goes missing), so the analysis sees the library as Immich has it.
    await t.request('POST', `/api/libraries/${libraryId}/scan`);
    await t.app.queue.whenIdle();
    const suggestions = await t.get<{ items: { id: string }[] }>(`/api/suggestions?library=${libraryId}`);
    expect(suggestions.body.items.length).toBeGreaterThan(0);
    const accepted = await t.request<{ immichJobId: string }>(
      'POST',
      `/api/suggestions/${suggestions.body.items[0]!.id}/accept`,
      { body: {} },
    );
    expect(accepted.status).toBe(201);
    // Accepting creates the album in Immich at once (its own job); the push below leaves it alone.
    expect((await job(accepted.body.immichJobId)).status).toBe('completed');
    const [albumWrite] = (
      await t.get<{ items: WriteJson[] }>(
        `/api/libraries/${libraryId}/immich/push/${accepted.body.immichJobId}`,
      )
    ).body.items;
    expect(albumWrite).toMatchObject({ kind: 'album', status: 'applied' });
    const album = immich.albums.get(albumWrite!.immichId!)!;
    expect(album.assetIds.size).toBe(albumWrite!.assetIds.length);

    immich.failNext(2, 503);
    const push = await t.request<{ jobId: string; items: number }>(
      'POST',
      `/api/libraries/${libraryId}/immich/push`,
      {
        body: { stacks: true, albums: true, duplicates: true },
      },
    );
    expect(push.status).toBe(202);
    const done = await job(push.body.jobId);
    expect(done.status).toBe('completed');
    const writes = (
      await t.get<{ items: WriteJson[] }>(`/api/libraries/${libraryId}/immich/push/${push.body.jobId}`)
    ).body.items;
    expect(writes.every((w) => w.status === 'applied')).toBe(true);

    const stacks = [...immich.stacks.values()];
    const versionStack = stacks.find((s) => s.assetIds.includes(ext.base!));
    expect(versionStack && [...versionStack.assetIds].sort()).toEqual([ext.base, ext.edit].sort());
    // The primary is photo-sync's (the original JPEG), and the first id sent.
    expect(versionStack?.primaryAssetId).toBe(ext.base);
    const burstStack = stacks.find((s) => s.assetIds.includes(ext.burst0!));
    expect(burstStack && [...burstStack.assetIds].sort()).toEqual([ext.burst0, ext.burst1].sort());
    // The copy and its original share photo-sync's group id in Immich's duplicate review.
    const dupWrite = writes.find((w) => w.kind === 'duplicate')!;
    expect(immich.assets.get(ext.copy!)?.dto.duplicateId).toBe(dupWrite.immichId);
    expect(immich.assets.get(ext.original!)?.dto.duplicateId).toBe(dupWrite.immichId);
    expect(writes.filter((w) => w.kind === 'album')).toEqual([]);

    const undo = await t.request<{ undone: number; failed: unknown[] }>(
      'POST',
      `/api/libraries/${libraryId}/immich/push/${push.body.jobId}/undo`,
    );
    expect(undo.status).toBe(200);
    expect(undo.body).toEqual({ undone: writes.length, failed: [] });
    expect(immich.stacks.size).toBe(0);
    expect(immich.albums.has(albumWrite!.immichId!)).toBe(true);
    const albumUndo = await t.request<{ undone: number }>(
      'POST',
      `/api/libraries/${libraryId}/immich/push/${accepted.body.immichJobId}/undo`,
    );
    expect(albumUndo.body).toMatchObject({ undone: 1 });
    expect(immich.albums.has(albumWrite!.immichId!)).toBe(false);
    expect(immich.assets.get(ext.copy!)?.dto.duplicateId ?? null).toBeNull();
    expect(immich.albums.has('11111111-1111-4111-8111-111111111111')).toBe(true);

    // The stacked assets changed in Immich but their originals did not: the next read updates
    // their metadata without fetching a single preview.
    const previews = immich.hits.get('GET /api/assets/:id/thumbnail') ?? 0;
    const rescan = await t.request<{ jobId: string }>('POST', `/api/libraries/${libraryId}/scan`);
    expect((await job(rescan.body.jobId)).status).toBe('completed');
    expect(immich.hits.get('GET /api/assets/:id/thumbnail') ?? 0).toBe(previews);
  });
});
