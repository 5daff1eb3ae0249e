import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeImmich } from '../support/fake-immich.js';
import { makeJpeg } from '../support/images.js';
import { addVersionPair, connectImmichLibrary } from '../support/immich-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface JobJson {
  status: string;
  progress: { total: number; done: number; failed: number };
}
interface WriteJson {
  kind: string;
  status: string;
  immichId: string | null;
  assetIds: string[];
  error: string | null;
}
interface GroupJson {
  id: string;
  kind: string;
  confidence: string;
  memberCount: number;
}

/** An MP4's first bytes (an `ftyp` box) and noise: Immich never lets photo-sync read more of it. */
function fakeMp4(): Buffer {
  const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
  return Buffer.concat([ftyp, randomBytes(4000)]);
}

describe('Immich: accepting decisions and the triage writes stacks, trash and albums to Immich; undo restores them', () => {
  let t: TestApp;
  let immich: FakeImmich;
  let libraryId = '';
  const ext: Record<string, string> = {};
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
  const writes = async (jobId: string) =>
    (await t.get<{ items: WriteJson[] }>(`/api/libraries/${libraryId}/immich/push/${jobId}`)).body.items;
  const undo = (jobId: string) =>
    t.request<{ undone: number; failed: unknown[] }>(
      'POST',
      `/api/libraries/${libraryId}/immich/push/${jobId}/undo`,
    );
  const stackOf = (externalId: string) =>
    [...immich.stacks.values()].find((s) => s.assetIds.includes(externalId)) ?? null;

  beforeAll(async () => {
    immich = new FakeImmich();
    await immich.start();
    const day = '2024:08:02';
    // The same file twice (an external library and an upload): equal Immich checksums.
    const original = await makeJpeg({ seed: 51, dateTimeOriginal: `${day} 08:00:00`, make: 'Canon' });
    ext.original = (await immich.addPhoto(original, '/photos/2024/IMG_0500.JPG')).id;
    ext.twin = (await immich.addPhoto(original, '/external/backup/IMG_0500.JPG')).id;
    // An original and its edit: a version stack.
    Object.assign(
      ext,
      await addVersionPair(
        immich,
        52,
        `${day} 11:00:00`,
        '/photos/2024/IMG_0600.JPG',
        '/photos/2024/IMG_0600-edited.jpg',
      ),
    );
    // Three frames a second apart from one body: a burst, two of which Immich already stacks.
    for (const [i, s] of ['10:00:00', '10:00:01', '10:00:02'].entries())
      ext[`frame${i}`] = (
        await immich.addPhoto(
          await makeJpeg({ seed: 60 + i, dateTimeOriginal: `${day} ${s}`, make: 'Sony', model: 'ILCE-7M3' }),
          `/photos/burst/DSC0010${i}.JPG`,
        )
      ).id;
    immich.stacks.set('22222222-2222-4222-8222-222222222222', {
      id: '22222222-2222-4222-8222-222222222222',
      primaryAssetId: ext.frame2!,
      assetIds: [ext.frame2!, ext.frame1!],
    });
    // A video and a smaller re-encode of it: Immich serves stills of both, from the same frame.
    const frame = await makeJpeg({ seed: 70, width: 1280, height: 720 });
    ext.video = (
      await immich.addVideo(fakeMp4(), '/photos/2024/VID_0700.mp4', frame, {
        capturedAt: '2024-08-02T15:00:00.000Z',
        durationMs: 5000,
      })
    ).id;
    ext.videoCopy = (
      await immich.addVideo(
        fakeMp4(),
        '/photos/export/VID_0700.mp4',
        await sharp(frame).resize(640).jpeg({ quality: 70 }).toBuffer(),
        { capturedAt: '2024-08-02T15:00:00.000Z', durationMs: 5000 },
      )
    ).id;
    t = await startTestApp();
    libraryId = await connectImmichLibrary(t, immich);
  });

  afterAll(async () => {
    await t.stop();
    await immich.stop();
  });

  it('analyses videos on the still Immich renders of them, and finds the re-encoded copy', async () => {
    const videos = await t.app.database.db
      .selectFrom('assets')
      .select(['id', 'kind', 'status', 'signatures', 'has_thumbnail', 'duration_seconds'])
      .where('external_id', 'in', [ext.video!, ext.videoCopy!])
      .execute();
    expect(videos).toHaveLength(2);
    for (const v of videos) {
      expect(v).toMatchObject({ kind: 'video', status: 'ready', has_thumbnail: true, duration_seconds: 5 });
      expect(v.signatures).not.toBeNull();
    }
    const near = await t.get<{ items: GroupJson[] }>(`/api/duplicates?library=${libraryId}&kind=near`);
    const ids = await Promise.all(
      near.body.items.map(async (g) =>
        (await t.get<{ members: { asset: { id: string } }[] }>(`/api/duplicates/${g.id}`)).body.members
          .map((m) => m.asset.id)
          .sort(),
      ),
    );
    expect(ids).toContainEqual(videos.map((v) => v.id).sort());
  });

  it('shows equal Immich checksums as a green exact duplicate; triage removes the copy into Immich trash, restore brings it back', async () => {
    const exact = await t.get<{ items: GroupJson[] }>(`/api/duplicates?library=${libraryId}&kind=exact`);
    expect(exact.body.items).toHaveLength(1);
    expect(exact.body.items[0]).toMatchObject({ kind: 'exact', confidence: 'green', memberCount: 2 });
    const card = (
      await t.get<{ categories: { key: string; confidence: string; itemCount: number }[] }>(
        `/api/triage?library=${libraryId}`,
      )
    ).body.categories.find((c) => c.key === 'exact-duplicates');
    expect(card).toMatchObject({ confidence: 'green', itemCount: 1 });

    const accepted = await t.request<{ recorded: number }>('POST', '/api/triage/exact-duplicates/accept', {
      body: { library: libraryId },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.recorded).toBe(1);
    await t.app.queue.whenIdle();
    const trashed = [ext.original!, ext.twin!].filter((id) => immich.assets.get(id)?.deletedAt);
    expect(trashed).toHaveLength(1); // one copy in Immich's trash, never purged
    expect(immich.assets.size).toBe(9);

    const trash = await t.get<{ items: { id: string; assetId: string }[] }>('/api/trash');
    const trashedId = await local(trashed[0]!);
    const entry = trash.body.items.find((i) => i.assetId === trashedId);
    expect(entry).toBeDefined();
    expect((await t.request('POST', `/api/trash/${entry!.id}/restore`)).status).toBe(200);
    expect(immich.assets.get(trashed[0]!)?.deletedAt).toBeNull();
  });

  it('triage "accept all" of versions creates the Immich stack (primary first), once; a new primary updates it; undo puts each back', async () => {
    const baseId = await local(ext.base!);
    const editId = await local(ext.edit!);
    const accepted = await t.request<{ recorded: number; immichJobIds: string[] }>(
      'POST',
      '/api/triage/versions/accept',
      { body: { library: libraryId } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ recorded: 1 });
    expect(accepted.body.immichJobIds).toHaveLength(1);
    const created = accepted.body.immichJobIds[0]!;
    expect(await job(created)).toMatchObject({
      status: 'completed',
      progress: { total: 1, done: 1, failed: 0 },
    });
    expect((await writes(created)).map((w) => [w.kind, w.status, w.assetIds])).toEqual([
      ['stack', 'applied', [baseId, editId]],
    ]);
    const stack = stackOf(ext.base!);
    expect(stack).toMatchObject({ primaryAssetId: ext.base, assetIds: [ext.base, ext.edit] });

    // Accepting again writes nothing: the stack is in Immich already.
    const again = await t.request<{ recorded: number; immichJobIds: string[] }>(
      'POST',
      '/api/triage/versions/accept',
      { body: { library: libraryId } },
    );
    expect(again.body).toEqual({ category: 'versions', recorded: 0, immichJobIds: [] });

    const versions = await t.get<{ items: { id: string }[] }>(`/api/versions?library=${libraryId}`);
    const primary = await t.request<{ immichJobId: string; primaryAssetId: string }>(
      'PUT',
      `/api/versions/${versions.body.items[0]!.id}/primary`,
      { body: { assetId: editId } },
    );
    expect(primary.status).toBe(200);
    expect(await job(primary.body.immichJobId)).toMatchObject({ status: 'completed' });
    // Same Immich stack, new primary (updateStack, not a new stack).
    expect(stackOf(ext.base!)).toMatchObject({ id: stack!.id, primaryAssetId: ext.edit });

    expect((await undo(primary.body.immichJobId)).body).toEqual({ undone: 1, failed: [] });
    expect(stackOf(ext.base!)).toMatchObject({ id: stack!.id, primaryAssetId: ext.base });
    expect((await undo(created)).body).toEqual({ undone: 1, failed: [] });
    expect(stackOf(ext.base!)).toBeNull();
    expect((await writes(created))[0]?.status).toBe('undone');
  });

  it('keeping all frames of a burst stacks them in Immich (recommended first); undo rebuilds the stack Immich had', async () => {
    const bursts = await t.get<{ items: { id: string; recommendedAssetId: string }[] }>(
      `/api/bursts?library=${libraryId}`,
    );
    expect(bursts.body.items).toHaveLength(1);
    const burst = bursts.body.items[0]!;
    const decided = await t.request<{ jobId: string | null; immichJobId: string }>(
      'POST',
      `/api/bursts/${burst.id}/decision`,
      { body: { action: 'keep-all' } },
    );
    expect(decided.status).toBe(200);
    expect(decided.body.jobId).toBeNull(); // nothing removed
    expect(await job(decided.body.immichJobId)).toMatchObject({ status: 'completed' });
    const frames = [ext.frame0!, ext.frame1!, ext.frame2!];
    const stack = stackOf(ext.frame0!);
    expect(stack && [...stack.assetIds].sort()).toEqual([...frames].sort());
    const recommendedExternal = frames.find((f) => immich.assets.get(f) && stack?.primaryAssetId === f);
    expect(await local(recommendedExternal!)).toBe(burst.recommendedAssetId);
    // Immich merged its earlier stack of two frames into the new one.
    expect(immich.stacks.has('22222222-2222-4222-8222-222222222222')).toBe(false);
    expect(immich.stacks.size).toBe(1);

    expect((await undo(decided.body.immichJobId)).body).toEqual({ undone: 1, failed: [] });
    const rebuilt = [...immich.stacks.values()];
    expect(rebuilt.map((s) => ({ primaryAssetId: s.primaryAssetId, assetIds: s.assetIds }))).toEqual([
      { primaryAssetId: ext.frame2, assetIds: [ext.frame2, ext.frame1] },
    ]);
  });

  it('triage "accept all" of suggestions creates the Immich albums with their photos; undo deletes them', async () => {
    const open = await t.get<{ items: { id: string; name: string; assetIds: string[] }[] }>(
      `/api/suggestions?library=${libraryId}`,
    );
    expect(open.body.items.length).toBeGreaterThan(0);
    const before = new Set(immich.albums.keys());
    const accepted = await t.request<{ recorded: number; immichJobIds: string[] }>(
      'POST',
      '/api/triage/unorganised/accept',
      { body: { library: libraryId } },
    );
    expect(accepted.body.recorded).toBe(open.body.items.length);
    expect(accepted.body.immichJobIds).toHaveLength(open.body.items.length);
    for (const jobId of accepted.body.immichJobIds) await job(jobId);
    const created = [...immich.albums.values()].filter((a) => !before.has(a.id));
    expect(created.map((a) => a.albumName).sort()).toEqual(open.body.items.map((s) => s.name).sort());
    for (const s of open.body.items) {
      const album = created.find((a) => a.albumName === s.name)!;
      const expected = await t.app.database.db
        .selectFrom('assets')
        .select('external_id')
        .where('id', 'in', s.assetIds)
        .execute();
      expect([...album.assetIds].sort()).toEqual(expected.map((e) => e.external_id).sort());
    }
    for (const jobId of accepted.body.immichJobIds)
      expect((await undo(jobId)).body).toEqual({ undone: 1, failed: [] });
    expect(new Set(immich.albums.keys())).toEqual(before);

    // The library lists every write job, decision ones included, with how its items ended.
    const recent = await t.get<{
      items: { jobId: string; kinds: string[]; statuses: Record<string, number> }[];
    }>(`/api/libraries/${libraryId}/immich/push`);
    expect(recent.status).toBe(200);
    for (const jobId of accepted.body.immichJobIds)
      expect(recent.body.items.find((j) => j.jobId === jobId)).toMatchObject({
        kinds: ['album'],
        statuses: { undone: 1 },
      });
    expect(recent.body.items.some((j) => j.kinds.includes('stack'))).toBe(true);
  });
});
