import os from 'node:os';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../support/api-types.js';
import { scene, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { othersLibrary, timelineShot } from '../support/timeline-fixture.js';

interface Bucket {
  month: string;
  cards: number;
  assets: number;
}
interface BucketsJson {
  timeZone: string;
  buckets: Bucket[];
}
interface AssetJson {
  id: string;
  path: string;
  capturedAt: string | null;
}

const shot = timelineShot;

describe('GET /api/timeline/buckets and a month of GET /api/assets?before=', () => {
  let t: TestApp;
  let mine: string;
  let olga: TestUser;
  let stranger: TestUser;
  let olgasLibrary: string;
  const roots: string[] = [];

  const buckets = async (query = '', as?: TestUser) => {
    const res = await t.get<BucketsJson>(`/api/timeline/buckets${query}`, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.buckets;
  };

  beforeAll(async () => {
    mine = await makeTempDir('timeline-a');
    roots.push(mine);
    // An original and its edit taken at the same second: one version stack, one card.
    const original = await scene(11, 1200, 900)
      .jpeg({ quality: 92 })
      .withExif({
        IFD0: { Make: 'Canon', Model: 'EOS R6' },
        IFD2: { DateTimeOriginal: '2024:06:03 10:00:00' },
      })
      .toBuffer();
    await writeFileDeep(path.join(mine, 'DCIM/IMG_0100.JPG'), original);
    await writeFileDeep(
      path.join(mine, 'DCIM/IMG_E0100.JPG'),
      await sharp(original)
        .modulate({ brightness: 1.04 })
        .jpeg({ quality: 85 })
        .withExif({
          IFD0: { Make: 'Canon', Model: 'EOS R6' },
          IFD2: { DateTimeOriginal: '2024:06:03 10:00:00' },
        })
        .toBuffer(),
    );
    await writeFileDeep(path.join(mine, 'June/late.jpg'), await shot(2, '2024:06:20 12:00:00'));
    await writeFileDeep(path.join(mine, 'March/early.jpg'), await shot(3, '2024:03:10 09:00:00'));
    // 23:30 UTC on the last day of March is already April in Tokyo.
    await writeFileDeep(path.join(mine, 'March/last-night.jpg'), await shot(4, '2024:03:31 23:30:00'));
    await writeFileDeep(path.join(mine, 'Xmas/tree.jpg'), await shot(5, '2023:12:24 18:00:00'));
    // Not on the timeline: a file that is not a picture fails ingest.
    await writeFileDeep(path.join(mine, 'broken.jpg'), Buffer.from('not a jpeg at all'));

    t = await startTestApp({ libraryRoots: [mine], env: { LIBRARY_BASE: os.tmpdir() } });
    await t.app.queue.whenIdle();
    ({ olga, stranger, olgasLibrary } = await othersLibrary(t, 'timeline-b', roots));
  });

  afterAll(async () => {
    await t.stop();
    for (const r of roots) await fs.rm(r, { recursive: true, force: true });
  });

  it('counts cards and assets per month, a version stack once, failed files not at all', async () => {
    const stacks = (await t.get<Page<{ members: unknown[] }>>('/api/versions')).body.items;
    expect(stacks.map((s) => s.members.length)).toEqual([2]);
    expect(await buckets()).toEqual([
      { month: '2024-06', cards: 2, assets: 3 },
      { month: '2024-03', cards: 2, assets: 2 },
      { month: '2023-12', cards: 1, assets: 1 },
    ]);
    const listed = (await t.get<Page<AssetJson>>('/api/assets?limit=500')).body.items;
    const total = (await buckets()).reduce((s, b) => s + b.assets, 0);
    expect(total).toBe(listed.length);
  });

  it('counts months in the asked time zone', async () => {
    const res = await t.get<BucketsJson>('/api/timeline/buckets?tz=Asia/Tokyo');
    expect(res.body.timeZone).toBe('Asia/Tokyo');
    expect(res.body.buckets).toEqual([
      { month: '2024-06', cards: 2, assets: 3 },
      { month: '2024-04', cards: 1, assets: 1 },
      { month: '2024-03', cards: 1, assets: 1 },
      { month: '2023-12', cards: 1, assets: 1 },
    ]);
    const bad = await t.get<{ type: string; detail: string }>('/api/timeline/buckets?tz=Mars/Olympus');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.detail).toContain('tz');
  });

  it("covers exactly the caller's libraries: their own, shared ones, or the one asked for", async () => {
    expect(await buckets('', olga)).toEqual([
      { month: '2024-06', cards: 1, assets: 1 },
      { month: '2022-01', cards: 1, assets: 1 },
    ]);
    expect(await buckets('', stranger)).toEqual([]);
    const denied = await t.get<{ status: number }>(`/api/timeline/buckets?library=${olgasLibrary}`);
    expect(denied.status).toBe(404);

    const share = await t.request('PUT', `/api/libraries/${olgasLibrary}/shares/${t.admin.id}`, {
      as: olga,
      body: { role: 'viewer' },
    });
    expect(share.status).toBeLessThan(300);
    expect(await buckets()).toEqual([
      { month: '2024-06', cards: 3, assets: 4 },
      { month: '2024-03', cards: 2, assets: 2 },
      { month: '2023-12', cards: 1, assets: 1 },
      { month: '2022-01', cards: 1, assets: 1 },
    ]);
    expect(await buckets(`?library=${olgasLibrary}`)).toEqual(await buckets('', olga));
  });

  it('fetches one month with GET /api/assets?before=<start of next month>, then pages on by cursor', async () => {
    const march = await t.get<Page<AssetJson>>('/api/assets?before=2024-04-01T00:00:00Z&limit=2');
    expect(march.status).toBe(200);
    expect(march.body.items.map((a) => path.basename(a.path))).toEqual(['last-night.jpg', 'early.jpg']);
    expect(march.body.nextCursor).toBeTruthy();
    const older = await t.get<Page<AssetJson>>(
      `/api/assets?before=2024-04-01T00:00:00Z&limit=2&cursor=${march.body.nextCursor ?? ''}`,
    );
    // Paging on crosses into older months (olga's shared 2022 photo included).
    expect(older.body.items.map((a) => path.basename(a.path))).toEqual(['tree.jpg', 'b.jpg']);

    // The instant itself is excluded: starting at a photo's own time skips that photo.
    const lastNight = march.body.items[0]?.capturedAt ?? '';
    const after = await t.get<Page<AssetJson>>(`/api/assets?before=${encodeURIComponent(lastNight)}&limit=1`);
    expect(after.body.items.map((a) => path.basename(a.path))).toEqual(['early.jpg']);

    const bad = await t.get<{ status: number }>('/api/assets?before=yesterday');
    expect(bad.status).toBe(400);
  });
});
