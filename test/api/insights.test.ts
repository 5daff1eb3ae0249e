import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, Page, ProblemJson } from '../support/api-types.js';
import { scene, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

interface Category {
  key: string;
  itemCount: number;
  bytesSaved: number;
  confidence: string;
  recommendation: string;
}
interface Scored extends AssetJson {
  qualityScore: number | null;
  qualityLabels: string[];
  qualityFlags: { label: string; basis: string; measure: string; value: number | string; reason: string }[];
  importBatchId: string | null;
}
interface StackJson {
  id: string;
  primaryAssetId: string;
  autoPrimaryAssetId: string;
  primaryOverridden: boolean;
  reasons: string[];
  members: { asset: Scored; isPrimary: boolean }[];
}
interface BurstJson {
  id: string;
  status: string;
  recommendedAssetId: string;
  frames: { asset: Scored; recommended: boolean }[];
}
interface SuggestionJson {
  id: string;
  kind: string;
  name: string;
  status: 'open' | 'accepted';
  albumId: string | null;
  assetIds: string[];
}
interface AlbumJson {
  id: string;
  name: string;
  source: string;
  assetCount: number;
  assetIds?: string[];
}

const exif = (time: string, subSec?: string) => ({
  IFD0: { Make: 'Canon', Model: 'EOS R6' },
  IFD2: { DateTimeOriginal: time, ...(subSec ? { SubSecTimeOriginal: subSec } : {}) },
});

/** One frame of a burst: the same scene nudged a few pixels, blurred unless it is the sharp one. */
async function burstFrame(i: number, sharpFrame: boolean): Promise<Buffer> {
  let img = sharp(await scene(21, 1640, 1240).png().toBuffer()).extract({
    left: 20 + i * 4,
    top: 20,
    width: 1600,
    height: 1200,
  });
  if (!sharpFrame) img = img.blur(3);
  return img
    .jpeg({ quality: 90 })
    .withExif(exif('2024:06:03 10:30:00', String(i * 30).padStart(2, '0')))
    .toBuffer();
}

describe('triage and insights API on a real library', () => {
  let root: string;
  let t: TestApp;
  let libraryId: string;
  /** As the administrator who owns the library (the test app signs them in). */
  const send = async <T>(method: string, url: string, body?: unknown) => {
    const res = await t.request<T>(method, url, body === undefined ? {} : { body });
    return { status: res.status, body: res.body };
  };
  const assetId = async (rel: string) => {
    const assets = (await t.get<Page<AssetJson>>('/api/assets?limit=100')).body.items;
    const found = assets.find((a) => a.path === path.join(root, rel));
    if (!found) throw new Error(`no asset for ${rel}`);
    return found.id;
  };
  const categories = async (query: string) =>
    new Map(
      (await t.get<{ categories: Category[] }>(`/api/triage${query}`)).body.categories.map((c) => [c.key, c]),
    );

  beforeAll(async () => {
    root = await makeTempDir('insights');
    const original = await scene(11, 1600, 1200)
      .jpeg({ quality: 92 })
      .withExif(exif('2024:06:03 10:00:00'))
      .toBuffer();
    await writeFileDeep(path.join(root, 'DCIM/100CANON/IMG_0100.JPG'), original);
    await writeFileDeep(path.join(root, 'Backup/IMG_0100.JPG'), original);
    // An Apple-style edit beside its original: the same picture, a little brighter, re-encoded.
    await writeFileDeep(
      path.join(root, 'DCIM/100CANON/IMG_E0100.JPG'),
      await sharp(original)
        .modulate({ brightness: 1.04 })
        .jpeg({ quality: 85 })
        .withExif(exif('2024:06:03 10:00:00'))
        .toBuffer(),
    );
    for (let i = 0; i < 4; i++)
      await writeFileDeep(path.join(root, `DCIM/100CANON/IMG_020${i}.JPG`), await burstFrame(i, i === 1));
    await writeFileDeep(
      path.join(root, 'DCIM/100CANON/IMG_0300.JPG'),
      await scene(31, 1600, 1200)
        .linear(0.05, 0)
        .jpeg({ quality: 90 })
        .withExif(exif('2024:06:03 11:00:00'))
        .toBuffer(),
    );
    const whole = await scene(41, 1600, 1200)
      .jpeg({ quality: 90 })
      .withExif(exif('2024:06:03 11:30:00'))
      .toBuffer();
    await writeFileDeep(
      path.join(root, 'Recovered/file0001.jpg'),
      whole.subarray(0, Math.floor(whole.length * 0.6)),
    );
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    libraryId = (await t.get<{ items: { id: string }[] }>('/api/libraries')).body.items[0]?.id ?? '';
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('summarises every category with counts, bytes to save and a confidence badge', async () => {
    const c = await categories(`?library=${libraryId}`);
    expect([...c.keys()]).toEqual([
      'exact-duplicates',
      'near-duplicates',
      'low-quality',
      'bursts',
      'versions',
      'unorganised',
    ]);
    const copy = await fs.stat(path.join(root, 'Backup/IMG_0100.JPG'));
    expect(c.get('exact-duplicates')).toMatchObject({
      itemCount: 1,
      bytesSaved: copy.size,
      confidence: 'green',
    });
    expect(c.get('versions')).toMatchObject({ itemCount: 1, bytesSaved: 0, confidence: 'green' });
    expect(c.get('bursts')).toMatchObject({ itemCount: 1, confidence: 'yellow' });
    expect(c.get('bursts')?.bytesSaved).toBeGreaterThan(0);
    // The dark frame, the truncated file, and the three soft burst frames: each clearly blurrier than
    // its sharp sibling (relative judgement), though none is blurry enough to be flagged alone.
    expect(c.get('low-quality')?.itemCount).toBe(5);
    expect(c.get('unorganised')?.itemCount).toBeGreaterThanOrEqual(1);
  });

  it('puts what one scan added into an import batch, and scopes the summary to it', async () => {
    const batches = (
      await t.get<Page<{ id: string; assetCount: number; libraryId: string }>>(
        `/api/batches?library=${libraryId}`,
      )
    ).body.items;
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ libraryId, assetCount: 9 });
    const scoped = await categories(`?library=${libraryId}&batch=${batches[0]?.id}`);
    expect(scoped.get('bursts')?.itemCount).toBe(1);
    const other = await categories(`?batch=00000000-0000-4000-8000-000000000000`);
    expect([...other.values()].every((x) => x.itemCount === 0)).toBe(true);
  });

  it('stacks the edit with its original and never offers them to each other as duplicates', async () => {
    const original = await assetId('DCIM/100CANON/IMG_0100.JPG');
    const edit = await assetId('DCIM/100CANON/IMG_E0100.JPG');
    const stacks = (await t.get<Page<StackJson>>('/api/versions')).body.items;
    expect(stacks).toHaveLength(1);
    expect(stacks[0]?.reasons).toEqual(['edit']);
    expect(new Set(stacks[0]?.members.map((m) => m.asset.id))).toEqual(new Set([original, edit]));
    // The original has an exact copy elsewhere, and the edit is a near duplicate of both: still the
    // edit (the stack's secondary) is in no duplicate group, near or similar.
    const grouped: string[] = [];
    for (const kind of ['near', 'similar']) {
      const groups = (await t.get<Page<{ id: string }>>(`/api/duplicates?kind=${kind}`)).body.items;
      for (const g of groups)
        grouped.push(
          ...(
            await t.get<{ members: { asset: { id: string } }[] }>(`/api/duplicates/${g.id}`)
          ).body.members.map((m) => m.asset.id),
        );
    }
    expect(grouped).not.toContain(edit);
  });

  it('keeps the primary the user chose across re-analysis, and refuses a non-member', async () => {
    const stack = (await t.get<Page<StackJson>>('/api/versions')).body.items[0] as StackJson;
    expect(stack.primaryAssetId).toBe(await assetId('DCIM/100CANON/IMG_0100.JPG'));
    const edit = await assetId('DCIM/100CANON/IMG_E0100.JPG');
    const bad = await send<ProblemJson>('PUT', `/api/versions/${stack.id}/primary`, {
      assetId: await assetId('Backup/IMG_0100.JPG'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('not a member');
    const set = await send<StackJson>('PUT', `/api/versions/${stack.id}/primary`, { assetId: edit });
    expect(set.body).toMatchObject({ primaryAssetId: edit, primaryOverridden: true });
    const analysis = await send<{ jobId: string }>('POST', '/api/insights/analyse', { library: libraryId });
    expect(analysis.status).toBe(202);
    await t.app.queue.whenIdle();
    // The analysis shows its progress in steps, like every long operation.
    const job = (
      await t.get<{ status: string; progress: { done: number; total: number } }>(
        `/api/jobs/${analysis.body.jobId}`,
      )
    ).body;
    expect(job).toMatchObject({ status: 'completed', progress: { done: 6, total: 6 } });
    const again = (await t.get<StackJson>(`/api/versions/${stack.id}`)).body;
    expect(again).toMatchObject({ id: stack.id, primaryAssetId: edit, primaryOverridden: true });
  });

  it('recommends the sharp frame of the burst and records a decision once', async () => {
    const burst = (await t.get<Page<BurstJson>>(`/api/bursts?library=${libraryId}`)).body
      .items[0] as BurstJson;
    expect(burst.frames.map((f) => path.basename(f.asset.path))).toEqual([
      'IMG_0200.JPG',
      'IMG_0201.JPG',
      'IMG_0202.JPG',
      'IMG_0203.JPG',
    ]);
    expect(burst.recommendedAssetId).toBe(await assetId('DCIM/100CANON/IMG_0201.JPG'));
    const wrong = await send<ProblemJson>('POST', `/api/bursts/${burst.id}/decision`, {
      action: 'pick',
      keepAssetIds: [await assetId('DCIM/100CANON/IMG_0300.JPG')],
    });
    expect(wrong.status).toBe(400);
    const done = await send<BurstJson>('POST', `/api/bursts/${burst.id}/decision`, { action: 'keep-best' });
    expect(done.body.status).toBe('decided');
    expect((await send('POST', `/api/bursts/${burst.id}/decision`, { action: 'keep-all' })).status).toBe(409);
    const rows = await t.app.database.db
      .selectFrom('decisions')
      .selectAll()
      .where('kind', '=', 'burst')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      subject_id: burst.id,
      status: 'recorded',
      keep_asset_ids: [burst.recommendedAssetId],
    });
    expect(rows[0]?.remove_asset_ids).toHaveLength(3);
    expect((await categories(`?library=${libraryId}`)).get('bursts')?.itemCount).toBe(0);
    // The frames not kept go to the trash through the action job; the best one stays in place.
    expect((done.body as BurstJson & { jobId: string | null }).jobId).toEqual(expect.any(String));
    await t.app.queue.whenIdle();
    const kept = burst.frames.find((f) => f.recommended)?.asset.path ?? '';
    await expect(fs.access(kept)).resolves.toBeUndefined();
    for (const f of burst.frames.filter((x) => !x.recommended))
      await expect(fs.access(f.asset.path)).rejects.toThrow();
  });

  it('lists flagged photos by score and label', async () => {
    const flagged = (await t.get<Page<Scored>>('/api/quality')).body.items;
    const byName = new Map(flagged.map((a) => [path.basename(a.path), a]));
    expect([...byName.keys()].sort()).toEqual(['IMG_0300.JPG', 'file0001.jpg']);
    expect(byName.get('file0001.jpg')).toMatchObject({ qualityScore: 0, qualityLabels: ['corrupted'] });
    expect(byName.get('IMG_0300.JPG')?.qualityLabels).toEqual(['too dark']);
    // Every flag says why, with the measured value.
    expect(byName.get('IMG_0300.JPG')?.qualityFlags).toEqual([
      expect.objectContaining({ label: 'too dark', basis: 'absolute', measure: 'lumaP999' }),
    ]);
    expect(byName.get('IMG_0300.JPG')?.qualityFlags[0]?.reason).toMatch(/\d+\/255/);
    expect(byName.get('file0001.jpg')?.qualityFlags[0]).toMatchObject({
      label: 'corrupted',
      value: 'truncated',
    });
    const corrupted = (await t.get<Page<Scored>>('/api/quality?label=corrupted')).body.items;
    expect(corrupted.map((a) => path.basename(a.path))).toEqual(['file0001.jpg']);
    const all = (await t.get<Page<Scored>>('/api/quality?maxScore=100')).body.items;
    expect(all.length).toBeGreaterThan(flagged.length);
    expect(all.map((a) => a.qualityScore)).toEqual(
      [...all.map((a) => a.qualityScore)].sort((x, y) => (x ?? 0) - (y ?? 0)),
    );
    expect((await t.get<ProblemJson>('/api/quality?label=fuzzy')).status).toBe(400);
  });

  it('accepts all recommendations of a category: the removals go to the trash, nothing is deleted', async () => {
    const lowq = await send<{ recorded: number }>('POST', '/api/triage/low-quality/accept', {
      library: libraryId,
    });
    expect(lowq.body.recorded).toBe(2);
    const exact = await send<{ recorded: number }>('POST', '/api/triage/exact-duplicates/accept', {});
    expect(exact.body.recorded).toBe(1);
    const c = await categories(`?library=${libraryId}`);
    expect(c.get('low-quality')?.itemCount).toBe(0);
    expect(c.get('exact-duplicates')?.itemCount).toBe(0);
    const rows = await t.app.database.db
      .selectFrom('decisions')
      .selectAll()
      .where('kind', '=', 'quality')
      .execute();
    expect(rows).toHaveLength(2);
    // The action job moves the two flagged photos and one copy of the duplicate into the trash.
    await t.app.queue.whenIdle();
    const trash = (await t.get<Page<{ originalPath: string }>>('/api/trash')).body.items;
    // (The burst decided above already sent its three soft frames there.)
    const trashed = trash
      .map((i) => path.relative(root, i.originalPath))
      .filter((p) => !p.includes('IMG_020'))
      .sort();
    expect(trashed).toHaveLength(3);
    expect(trashed).toEqual(expect.arrayContaining(['DCIM/100CANON/IMG_0300.JPG', 'Recovered/file0001.jpg']));
    for (const rel of trashed) await expect(fs.access(path.join(root, rel))).rejects.toThrow();
    const copies = ['DCIM/100CANON/IMG_0100.JPG', 'Backup/IMG_0100.JPG'];
    expect(copies.filter((p) => trashed.includes(p))).toHaveLength(1);
    expect((await send('POST', '/api/triage/low-quality/accept', {})).body).toMatchObject({ recorded: 0 });
    expect((await t.get<ProblemJson>('/api/triage/everything/items')).status).toBe(400);
  });

  it('turns an accepted suggestion into an album, once', async () => {
    const items = (await t.get<Page<SuggestionJson>>(`/api/triage/unorganised/items?library=${libraryId}`))
      .body.items;
    const event = items.find((s) => s.kind === 'event');
    expect(event?.name).toBe('3 Jun 2024');
    const first = await send<AlbumJson>('POST', `/api/suggestions/${event?.id}/accept`, {
      name: 'Beach day',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Beach day', source: 'suggestion' });
    expect(first.body.assetIds?.sort()).toEqual(event?.assetIds.sort());
    const second = await send<AlbumJson>('POST', `/api/suggestions/${event?.id}/accept`, {});
    expect(second.body.id).toBe(first.body.id);
    const albums = (await t.get<Page<AlbumJson>>('/api/albums')).body.items;
    // The count is of the album's photos still in the library (earlier tests trashed some of them).
    const present = await t.app.database.db
      .selectFrom('assets')
      .select('id')
      .where('id', 'in', event?.assetIds ?? [])
      .where('status', '=', 'ready')
      .execute();
    expect(albums).toEqual([expect.objectContaining({ id: first.body.id, assetCount: present.length })]);
    expect((await t.get<ProblemJson>('/api/albums/00000000-0000-4000-8000-000000000000')).status).toBe(404);

    // Re-analysis: photos now in an album are not suggested again; the accepted one stays accepted.
    await send('POST', '/api/insights/analyse', { library: libraryId });
    await t.app.queue.whenIdle();
    const open = (await t.get<Page<SuggestionJson>>('/api/suggestions')).body.items;
    expect(open.filter((s) => s.kind === 'event')).toEqual([]);
    const accepted = (await t.get<Page<SuggestionJson>>('/api/suggestions?status=accepted')).body.items;
    expect(accepted.map((s) => s.id)).toEqual([event?.id]);
  });

  it("accepting is each user's own: a second editor still sees the suggestion open and gets an album too", async () => {
    const mine = (await t.get<Page<SuggestionJson>>('/api/suggestions?status=accepted')).body.items;
    const event = mine.find((s) => s.kind === 'event');
    expect(event?.albumId).toEqual(expect.any(String));
    const carol = await t.createUser('carol@example.com');
    const share = await t.request('PUT', `/api/libraries/${libraryId}/shares/${carol.id}`, {
      body: { role: 'editor' },
    });
    expect(share.status).toBeLessThan(300);

    const hers = (await t.get<Page<SuggestionJson>>('/api/suggestions?status=open', carol)).body.items;
    expect(hers.find((s) => s.id === event?.id)).toMatchObject({ status: 'open', albumId: null });
    const summary = await t.get<{ categories: { key: string; itemCount: number }[] }>(
      `/api/triage?library=${libraryId}`,
      carol,
    );
    const unorganised = (who: typeof summary) =>
      who.body.categories.find((c) => c.key === 'unorganised')?.itemCount ?? 0;
    expect(unorganised(summary)).toBeGreaterThanOrEqual(1);
    const adminSummary = await t.get<{ categories: { key: string; itemCount: number }[] }>(
      `/api/triage?library=${libraryId}`,
    );
    expect(unorganised(adminSummary)).toBe(unorganised(summary) - 1);

    const accepted = await t.request<AlbumJson>('POST', `/api/suggestions/${event?.id}/accept`, {
      as: carol,
      body: {},
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.id).not.toBe(event?.albumId);
    expect((await t.get<Page<AlbumJson>>('/api/albums', carol)).body.items.map((a) => a.id)).toEqual([
      accepted.body.id,
    ]);
    const after = (await t.get<Page<SuggestionJson>>('/api/suggestions?status=accepted', carol)).body.items;
    expect(after.find((s) => s.id === event?.id)?.albumId).toBe(accepted.body.id);
    // The first user's view is unchanged.
    const still = (await t.get<Page<SuggestionJson>>('/api/suggestions?status=accepted')).body.items;
    expect(still.find((s) => s.id === event?.id)?.albumId).toBe(event?.albumId);
  });

  it('re-analysis of an unchanged library changes nothing: same ids, decisions and rows', async () => {
    const db = t.app.database.db;
    const snapshot = async () => ({
      stacks: await db.selectFrom('version_stacks').selectAll().orderBy('id').execute(),
      members: await db.selectFrom('version_stack_members').selectAll().orderBy('asset_id').execute(),
      bursts: await db.selectFrom('bursts').selectAll().orderBy('id').execute(),
      frames: await db.selectFrom('burst_frames').selectAll().orderBy('asset_id').execute(),
      suggestions: await db.selectFrom('suggestions').selectAll().orderBy('id').execute(),
      quality: await db
        .selectFrom('assets')
        .select(['id', 'quality_score', 'quality_labels', 'updated_at'])
        .orderBy('id')
        .execute(),
    });
    // Settle first: earlier tests moved burst frames and low-quality photos to the trash, which a
    // re-analysis reflects once (a burst left with one frame is no burst). After that, nothing moves.
    await send('POST', '/api/insights/analyse', { library: libraryId });
    await t.app.queue.whenIdle();
    const before = await snapshot();
    expect(before.stacks.length).toBeGreaterThan(0);
    expect(before.suggestions.length).toBeGreaterThan(0);
    await send('POST', '/api/insights/analyse', { library: libraryId });
    await t.app.queue.whenIdle();
    expect(await snapshot()).toEqual(before);
  });
});
