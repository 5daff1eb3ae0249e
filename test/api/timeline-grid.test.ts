import os from 'node:os';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, Page } from '../support/api-types.js';
import { scene, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { othersLibrary, timelineShot } from '../support/timeline-fixture.js';

interface GridJson {
  id: string;
  takenAt: string;
  fileName: string;
  kind: string | null;
  width: number | null;
  height: number | null;
  burstId: string | null;
  hasThumbnail: boolean;
}

interface FullJson extends AssetJson {
  fileModifiedAt: string;
  burstId: string | null;
}

const shot = timelineShot;

/**
 * GET /api/timeline/assets: the timeline grid's page — the assets of GET /api/assets in the same
 * order, with only what the grid draws — over real HTTP on a real database.
 */
describe('GET /api/timeline/assets (the timeline grid)', () => {
  let t: TestApp;
  let mine: string;
  let olga: TestUser;
  let stranger: TestUser;
  let olgasLibrary: string;
  let myLibrary: string;
  const roots: string[] = [];

  const grid = (query = '', as?: TestUser, headers: Record<string, string> = {}) =>
    t.request<Page<GridJson>>('GET', `/api/timeline/assets${query}`, { ...(as ? { as } : {}), headers });
  const rescan = async () => {
    expect((await t.request('POST', `/api/libraries/${myLibrary}/scan`)).status).toBe(202);
    await t.app.queue.whenIdle();
  };

  beforeAll(async () => {
    mine = await makeTempDir('timeline-grid-a');
    roots.push(mine);
    await writeFileDeep(path.join(mine, 'June/late.jpg'), await shot(1, '2024:06:20 12:00:00'));
    // Turned by its EXIF orientation: the grid gets the upright size (480 wide, 640 high).
    await writeFileDeep(
      path.join(mine, 'June/portrait.jpg'),
      await shot(2, '2024:06:03 10:00:00', { orientation: 6 }),
    );
    await writeFileDeep(path.join(mine, 'March/early.jpg'), await shot(3, '2024:03:10 09:00:00'));
    await writeFileDeep(path.join(mine, 'March/last-night.jpg'), await shot(4, '2024:03:31 23:30:00'));
    // No capture time: the timeline places it at its file time.
    const undated = await writeFileDeep(
      path.join(mine, 'Scans/undated.png'),
      await scene(5, 320, 240).png().toBuffer(),
    );
    await fs.utimes(undated, new Date('2023-12-24T18:00:00Z'), new Date('2023-12-24T18:00:00Z'));
    // Not on the timeline: a file that is not a picture fails ingest.
    await writeFileDeep(path.join(mine, 'broken.jpg'), Buffer.from('not a jpeg at all'));

    t = await startTestApp({ libraryRoots: [mine], env: { LIBRARY_BASE: os.tmpdir() } });
    await t.app.queue.whenIdle();
    myLibrary = (await t.get<Page<{ id: string }>>('/api/libraries')).body.items[0]!.id;
    ({ olga, stranger, olgasLibrary } = await othersLibrary(t, 'timeline-grid-b', roots));
  });

  afterAll(async () => {
    await t.stop();
    for (const r of roots) await fs.rm(r, { recursive: true, force: true });
  });

  it('lists the assets of GET /api/assets in its order, with only what the grid draws', async () => {
    const full = (await t.get<Page<FullJson>>('/api/assets?limit=500')).body.items;
    const res = await grid('?limit=500');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toEqual(
      full.map((a) => ({
        id: a.id,
        takenAt: a.capturedAt ?? a.fileModifiedAt,
        fileName: path.basename(a.path),
        kind: a.kind,
        width: a.width,
        height: a.height,
        burstId: a.burstId,
        hasThumbnail: a.hasThumbnail,
      })),
    );
    expect(res.body.items.map((a) => [a.fileName, a.takenAt])).toEqual([
      ['late.jpg', '2024-06-20T12:00:00.000Z'],
      ['portrait.jpg', '2024-06-03T10:00:00.000Z'],
      ['last-night.jpg', '2024-03-31T23:30:00.000Z'],
      ['early.jpg', '2024-03-10T09:00:00.000Z'],
      ['undated.png', '2023-12-24T18:00:00.000Z'],
    ]);
    const portrait = res.body.items.find((a) => a.fileName === 'portrait.jpg');
    expect(portrait).toMatchObject({ kind: 'jpeg', width: 480, height: 640, hasThumbnail: true });
    expect(res.body.items.find((a) => a.fileName === 'undated.png')).toMatchObject({
      kind: 'png',
      width: 320,
      height: 240,
    });
  });

  it('pages by cursor exactly as GET /api/assets, and refuses a forged cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Page<GridJson> } = await grid(
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((a) => a.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const full = (await t.get<Page<FullJson>>('/api/assets?limit=500')).body.items.map((a) => a.id);
    expect(seen).toEqual(full);

    const forged = await t.get<{ status: number; detail: string }>('/api/timeline/assets?cursor=bm9wZQ');
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.get('/api/timeline/assets?limit=0')).status).toBe(400);
  });

  it('starts strictly before `before=` (a month), then goes on by cursor', async () => {
    const march = await grid('?before=2024-04-01T00:00:00Z&limit=2');
    expect(march.status).toBe(200);
    expect(march.body.items.map((a) => a.fileName)).toEqual(['last-night.jpg', 'early.jpg']);
    const older = await grid(`?before=2024-04-01T00:00:00Z&limit=2&cursor=${march.body.nextCursor ?? ''}`);
    expect(older.body.items.map((a) => a.fileName)).toEqual(['undated.png']);
    expect(older.body.nextCursor).toBeNull();

    // The instant itself is excluded.
    const lastNight = march.body.items[0]?.takenAt ?? '';
    const after = await grid(`?before=${encodeURIComponent(lastNight)}&limit=1`);
    expect(after.body.items.map((a) => a.fileName)).toEqual(['early.jpg']);
    expect((await t.get('/api/timeline/assets?before=yesterday')).status).toBe(400);
  });

  it("covers the caller's libraries only: another user's library is 404, a share shows it", async () => {
    expect((await grid('', olga)).body.items.map((a) => a.fileName)).toEqual(['a.jpg', 'b.jpg']);
    expect((await grid('', stranger)).body).toEqual({ items: [], nextCursor: null });

    const denied = await t.get<{ status: number; type: string }>(
      `/api/timeline/assets?library=${olgasLibrary}`,
    );
    expect(denied.status).toBe(404);
    expect(denied.headers.get('content-type')).toContain('application/problem+json');
    expect(denied.headers.get('etag')).toBeNull();
    const mineOnly = await grid(`?library=${myLibrary}`);
    expect(mineOnly.body.items).toHaveLength(5);

    await t.request('PUT', `/api/libraries/${olgasLibrary}/shares/${t.admin.id}`, {
      as: olga,
      body: { role: 'viewer' },
    });
    try {
      const both = await grid();
      expect(both.body.items.map((a) => a.fileName)).toEqual([
        'late.jpg',
        'a.jpg',
        'portrait.jpg',
        'last-night.jpg',
        'early.jpg',
        'undated.png',
        'b.jpg',
      ]);
      expect((await grid(`?library=${olgasLibrary}`)).body).toEqual((await grid('', olga)).body);
    } finally {
      await t.request('DELETE', `/api/libraries/${olgasLibrary}/shares/${t.admin.id}`, { as: olga });
    }
    expect((await t.get(`/api/timeline/assets?library=${olgasLibrary}`)).status).toBe(404);
  });

  it('is served from the page cache with an ETag: 304 while unchanged, a new file in the next page', async () => {
    const first = await grid();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await grid();
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.body).toEqual(first.body);
    expect((await grid('', undefined, { 'if-none-match': etag })).status).toBe(304);

    // Another user presenting this ETag gets their own page, not a 304 for the admin's bytes.
    const olgas = await grid('', olga, { 'if-none-match': etag });
    expect(olgas.status).toBe(200);
    expect(olgas.body.items.map((a) => a.fileName)).toEqual(['a.jpg', 'b.jpg']);

    const fresh = await grid('', undefined, { 'cache-control': 'no-cache' });
    expect(fresh.headers.get('x-cache')).toBe('bypass');
    expect(fresh.headers.get('etag')).toBe(etag);

    await writeFileDeep(path.join(mine, 'June/new.jpg'), await shot(8, '2024:06:25 07:00:00'));
    await rescan();
    const next = await grid();
    expect(next.headers.get('x-cache')).toBe('miss');
    expect(next.body.items[0]?.fileName).toBe('new.jpg');
    const changed = await grid('', undefined, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body).toEqual(next.body);
  });

  it('is documented in the OpenAPI document with its response shape', async () => {
    const doc = await t.get<{
      paths: Record<
        string,
        {
          get?: {
            responses?: Record<string, { content?: Record<string, { schema?: { properties?: object } }> }>;
          };
        }
      >;
    }>('/api/docs/json');
    const ok = doc.body.paths['/api/timeline/assets']?.get?.responses?.['200'];
    const schema = ok?.content?.['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(['items', 'nextCursor']);
  });
});
