import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, ProblemJson } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

interface GroupJson {
  id: string;
  kind: 'exact' | 'near' | 'similar';
  status: string;
  confidence: string;
  memberCount: number;
  bytesReclaimable: number;
  minSimilarity: number;
  keeperAssetId: string;
}
interface DetailJson extends GroupJson {
  differs: Record<string, boolean>;
  members: {
    asset: { id: string; path: string; kind: string };
    similarity: number;
    isKeeper: boolean;
    keeperReason: string | null;
  }[];
}

describe('duplicates API on a real library', () => {
  let root: string;
  let t: TestApp;
  const post = (url: string, body: unknown) => t.request<unknown>('POST', url, { body });
  const groups = async (query = '') => (await t.get<Page<GroupJson>>(`/api/duplicates${query}`)).body.items;
  const analyse = async () => {
    await post('/api/duplicates/analyse', {});
    await t.app.queue.whenIdle();
  };

  beforeAll(async () => {
    root = await makeTempDir('dups');
    const original = await makeJpeg({
      seed: 42,
      width: 2400,
      height: 1800,
      dateTimeOriginal: '2024:05:01 10:00:00',
      make: 'Apple',
      model: 'iPhone 13',
    });
    await writeFileDeep(path.join(root, 'Pictures/2024/2024-05 Rome/IMG_1.JPG'), original);
    await writeFileDeep(path.join(root, 'Downloads/IMG_1.JPG'), original);
    // The same picture re-encoded smaller, without metadata: a near duplicate.
    await writeFileDeep(
      path.join(root, 'Shared/IMG_1-small.jpg'),
      await sharp(original).resize(1200).jpeg({ quality: 70 }).toBuffer(),
    );
    await writeFileDeep(
      path.join(root, 'Pictures/2024/2024-05 Rome/IMG_2.JPG'),
      await makeJpeg({ seed: 7, width: 2400, height: 1800 }),
    );
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('finds the exact copies, proven byte for byte, and keeps the organised one', async () => {
    const [exact, ...more] = await groups('?kind=exact');
    expect(more).toEqual([]);
    expect(exact).toMatchObject({ kind: 'exact', confidence: 'green', memberCount: 2, minSimilarity: 1 });
    const detail = (await t.get<DetailJson>(`/api/duplicates/${exact!.id}`)).body;
    const keeper = detail.members.find((m) => m.isKeeper);
    expect(keeper?.asset.path).toContain('2024-05 Rome/IMG_1.JPG');
    expect(detail.members[1]?.keeperReason).toBe('organised-folder');
    expect(detail.differs).toMatchObject({ folder: true, sizeBytes: false, resolution: false });
    expect(exact!.bytesReclaimable).toBeGreaterThan(0);
  });

  it('groups the re-encoded copy as a near duplicate of the original, not the other photo', async () => {
    const near = await groups('?kind=near');
    expect(near).toHaveLength(1);
    const detail = (await t.get<DetailJson>(`/api/duplicates/${near[0]!.id}`)).body;
    const paths = detail.members.map((m) => path.relative(root, m.asset.path)).sort();
    expect(paths).toContain('Shared/IMG_1-small.jpg');
    expect(paths).not.toContain('Pictures/2024/2024-05 Rome/IMG_2.JPG');
    const keeper = detail.members.find((m) => m.isKeeper)!;
    expect(keeper.asset.path).not.toContain('small');
    for (const m of detail.members) expect(m.similarity).toBeGreaterThanOrEqual(0.95);
    expect(detail.differs.resolution).toBe(true);
  });

  it('sorts and paginates groups with cursors', async () => {
    const all = await groups('?sort=space');
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = await t.get<Page<GroupJson>>('/api/duplicates?sort=space&limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await t.get<Page<GroupJson>>(
      `/api/duplicates?sort=space&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
    expect(first.body.items[0]!.bytesReclaimable).toBeGreaterThanOrEqual(
      second.body.items[0]!.bytesReclaimable,
    );
    const bad = await t.get<ProblemJson>('/api/duplicates?sort=random');
    expect(bad.status).toBe(400);
  });

  it('validates decisions and refuses a second one', async () => {
    const [exact] = await groups('?kind=exact');
    const wrong = await post(`/api/duplicates/${exact!.id}/decision`, {
      action: 'keep',
      keepAssetIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body as ProblemJson).detail).toContain('must be members of the group');
    const ok = await post(`/api/duplicates/${exact!.id}/decision`, {
      action: 'keep',
      keepAssetIds: [exact!.keeperAssetId],
    });
    expect(ok.status).toBe(200);
    expect((ok.body as GroupJson).status).toBe('kept');
    const again = await post(`/api/duplicates/${exact!.id}/decision`, { action: 'dismiss' });
    expect(again.status).toBe(409);
    // A recorded decision survives re-analysis while the members are the same.
    await analyse();
    expect((await groups('?kind=exact&status=kept')).map((g) => g.id)).toEqual([exact!.id]);
  });

  it('remembers "not a duplicate" in every later analysis', async () => {
    const [near] = await groups('?kind=near');
    const res = await post(`/api/duplicates/${near!.id}/decision`, { action: 'not-duplicate' });
    expect(res.status).toBe(200);
    await analyse();
    expect(await groups('?kind=near')).toEqual([]);
  });

  it('matches a new file against the existing index without re-reading the library', async () => {
    const original = await fs.readFile(path.join(root, 'Pictures/2024/2024-05 Rome/IMG_2.JPG'));
    await writeFileDeep(
      path.join(root, 'Export/IMG_2.webp'),
      await sharp(original).webp({ quality: 80 }).toBuffer(),
    );
    const [lib] = await t.app.libraries.listAll();
    const before = await t.app.database.db
      .selectFrom('assets')
      .select(['id', 'matched_at'])
      .where('matched_at', 'is not', null)
      .execute();
    await t.app.libraries.requestSystemScan(lib!.id);
    await t.app.queue.whenIdle();
    const after = new Map(
      (await t.app.database.db.selectFrom('assets').select(['id', 'matched_at']).execute()).map((r) => [
        r.id,
        r.matched_at?.getTime(),
      ]),
    );
    for (const b of before)
      expect(after.get(b.id), 'an unchanged asset was matched again').toBe(b.matched_at?.getTime());
    const near = await groups('?kind=near');
    expect(near).toHaveLength(1);
    const detail = (await t.get<DetailJson>(`/api/duplicates/${near[0]!.id}`)).body;
    expect(detail.members.map((m) => path.basename(m.asset.path)).sort()).toEqual([
      'IMG_2.JPG',
      'IMG_2.webp',
    ]);
  });
});
