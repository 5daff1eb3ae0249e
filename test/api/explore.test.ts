import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scene, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface Cluster {
  latitude: number;
  longitude: number;
  count: number;
  bounds: { south: number; west: number; north: number; east: number };
  sampleAssetId: string;
}
interface Problem {
  path: string;
  status: string;
  code: string;
  reason: string;
}

const dms = (v: number) => {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  return `${d}/1 ${m}/1 ${Math.round(((a - d) * 60 - m) * 6000)}/100`;
};

const shot = (seed: number, date: string, model: string, gps?: [number, number], dark = false) => {
  let img = scene(seed, 480, 360);
  if (dark) img = img.modulate({ brightness: 0.03 });
  return img
    .withExif({
      IFD0: { Make: 'Maker', Model: model },
      IFD2: { DateTimeOriginal: date },
      ...(gps
        ? {
            IFD3: {
              GPSLatitudeRef: gps[0] >= 0 ? 'N' : 'S',
              GPSLatitude: dms(gps[0]),
              GPSLongitudeRef: gps[1] >= 0 ? 'E' : 'W',
              GPSLongitude: dms(gps[1]),
            },
          }
        : {}),
    })
    .jpeg()
    .toBuffer();
};

/**
 * The explore endpoints of issue 18 (problems, job failures, map, timeline filter, capabilities),
 * the administrator's password reset and role change, and a viewer's refused purge — over real
 * HTTP on a real database, with real files.
 */
describe('explore API and admin user actions', () => {
  let t: TestApp;
  let root: string;
  let library: string;

  beforeAll(async () => {
    root = await makeTempDir('explore-api');
    await writeFileDeep(
      path.join(root, 'rome/a.jpg'),
      await shot(1, '2025:06:01 10:00:00', 'Alpha', [41.89, 12.49]),
    );
    await writeFileDeep(
      path.join(root, 'rome/b.jpg'),
      await shot(2, '2025:06:02 10:00:00', 'Alpha', [41.9, 12.48]),
    );
    await writeFileDeep(
      path.join(root, 'florence/c.jpg'),
      await shot(3, '2025:06:05 10:00:00', 'Beta', [43.77, 11.25]),
    );
    await writeFileDeep(
      path.join(root, 'south/d.jpg'),
      await shot(4, '2024:01:05 10:00:00', 'Beta', [-33.86, 151.21]),
    );
    await writeFileDeep(
      path.join(root, 'home/dark.jpg'),
      await shot(5, '2024:02:05 21:00:00', 'Alpha', undefined, true),
    );
    await writeFileDeep(
      path.join(root, 'home/100%_odd/e.jpg'),
      await shot(6, '2024:02:06 21:00:00', 'Gamma'),
    );
    await writeFileDeep(path.join(root, 'broken/notes.jpg'), 'not a picture\n');
    await writeFileDeep(path.join(root, 'broken/empty.jpg'), Buffer.alloc(0));
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    library = (await t.get<{ items: { id: string }[] }>('/api/libraries')).body.items[0]!.id;
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('lists unreadable and unrecognised files with path and reason, and counts them by code', async () => {
    const res = await t.get<{ items: Problem[]; counts: { code: string; count: number }[] }>('/api/problems');
    expect(res.status).toBe(200);
    const byPath = new Map(res.body.items.map((p) => [p.path, p]));
    expect(byPath.get(path.join(root, 'broken/notes.jpg'))).toMatchObject({
      status: 'failed',
      code: 'unsupported',
    });
    expect(byPath.get(path.join(root, 'broken/empty.jpg'))).toMatchObject({
      status: 'failed',
      code: 'empty',
    });
    for (const p of res.body.items) expect(p.reason.length).toBeGreaterThan(5);
    expect(res.body.counts).toEqual(
      expect.arrayContaining([
        { code: 'empty', count: 1 },
        { code: 'unsupported', count: 1 },
      ]),
    );
    // Paging walks them all once.
    const first = await t.get<{ items: Problem[]; nextCursor: string | null }>('/api/problems?limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await t.get<{ items: Problem[] }>(`/api/problems?limit=5&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((p) => p.path).sort()).toEqual(
      res.body.items.map((p) => p.path).sort(),
    );
  });

  it('names the files a scan failed on, and why', async () => {
    const jobs = await t.get<{ items: { id: string; type: string; progress: { failed: number } }[] }>(
      '/api/jobs',
    );
    const failing = jobs.body.items.filter((j) => j.progress.failed > 0);
    expect(failing.length).toBeGreaterThan(0);
    const res = await t.get<{ items: { path: string; reason: string }[] }>(
      `/api/jobs/${failing[0]!.id}/failures`,
    );
    expect(res.body.items.map((f) => f.path).sort()).toEqual(
      [path.join(root, 'broken/empty.jpg'), path.join(root, 'broken/notes.jpg')].sort(),
    );
    const stranger = await t.createUser('stranger@example.com');
    expect((await t.get(`/api/jobs/${failing[0]!.id}/failures`, stranger)).status).toBe(404);
  });

  it('clusters geotagged photos on a grid that splits as the zoom grows; a cluster’s box lists its photos', async () => {
    const at = (zoom: number, box = '') =>
      t.get<{ clusters: Cluster[]; cellDegrees: number }>(`/api/map/clusters?zoom=${zoom}${box}`);
    const world = await at(0);
    expect(world.status).toBe(200);
    expect(world.body.cellDegrees).toBe(45);
    expect(world.body.clusters.map((c) => c.count).sort()).toEqual([1, 3]);
    const italy = world.body.clusters.find((c) => c.count === 3)!;
    const closer = await at(4);
    expect(closer.body.clusters.map((c) => c.count).sort()).toEqual([1, 1, 2]);
    const b = italy.bounds;
    const photos = await t.get<{ items: { path: string }[] }>(
      `/api/map/assets?south=${b.south}&west=${b.west}&north=${b.north}&east=${b.east}`,
    );
    expect(photos.body.items.map((p) => path.basename(p.path)).sort()).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    // A box only around Sydney.
    const south = await at(2, '&south=-40&north=-30&west=140&east=160');
    expect(south.body.clusters.map((c) => c.count)).toEqual([1]);
    expect((await at(0, '&south=10&north=0')).status).toBe(400);
  });

  it('filters the timeline by date range, camera, folder, kind and quality label, buckets included', async () => {
    const names = async (q: string) =>
      (await t.get<{ items: { fileName: string }[] }>(`/api/timeline/assets?limit=100&${q}`)).body.items
        .map((i) => i.fileName)
        .sort();
    const count = async (q: string) =>
      (await t.get<{ buckets: { assets: number }[] }>(`/api/timeline/buckets?${q}`)).body.buckets.reduce(
        (s, b) => s + b.assets,
        0,
      );
    expect(await names('')).toHaveLength(6);
    expect(await names('from=2025-06-01&to=2025-06-02')).toEqual(['a.jpg', 'b.jpg']);
    expect(await count('from=2025-06-01&to=2025-06-02')).toBe(2);
    expect(await names('camera=Beta')).toEqual(['c.jpg', 'd.jpg']);
    expect(await count('camera=Beta')).toBe(2);
    expect(await names(`folder=${encodeURIComponent(path.join(root, 'rome'))}`)).toEqual(['a.jpg', 'b.jpg']);
    // LIKE wildcards in a folder name match only themselves.
    expect(await names(`folder=${encodeURIComponent(path.join(root, 'home/100%_odd'))}`)).toEqual(['e.jpg']);
    expect(await names(`folder=${encodeURIComponent(path.join(root, 'home/1'))}`)).toEqual([]);
    expect(await names('kind=jpeg&camera=Gamma')).toEqual(['e.jpg']);
    expect(await names('kind=video')).toEqual([]);
    expect(await names(`label=${encodeURIComponent('too dark')}`)).toEqual(['dark.jpg']);
    expect(await count(`label=${encodeURIComponent('too dark')}`)).toBe(1);
    expect((await t.get('/api/timeline/assets?from=2025-06-02&to=2025-06-01')).status).toBe(400);
    expect((await t.get('/api/timeline/assets?kind=spreadsheet')).status).toBe(400);

    const facets = await t.get<{ cameras: { model: string; count: number }[]; labels: { label: string }[] }>(
      '/api/timeline/facets',
    );
    expect(facets.body.cameras).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ model: 'Alpha', count: 3 }),
        expect.objectContaining({ model: 'Beta', count: 2 }),
      ]),
    );
    expect(facets.body.labels.map((l) => l.label)).toContain('too dark');
  });

  it('reports the ffmpeg capability of this process', async () => {
    const res = await t.get<{ ffmpeg: boolean | null; videosNeedingFfmpeg: number }>('/api/capabilities');
    expect(typeof res.body.ffmpeg).toBe('boolean');
    expect(res.body.videosNeedingFfmpeg).toBe(0);
  });

  it('an administrator resets a password: the user’s sessions end, the new password works, it is audited', async () => {
    const bob: TestUser = await t.createUser('bob@example.com');
    expect((await t.get('/api/users/me', bob)).status).toBe(200);
    const res = await t.request('POST', `/api/users/${bob.id}/password`, {
      body: { newPassword: 'a brand new secret' },
    });
    expect(res.status).toBe(204);
    expect((await t.get('/api/users/me', bob)).status).toBe(401);
    await expect(t.login(bob.email, bob.password)).rejects.toThrow(/401/);
    const again = await t.login(bob.email, 'a brand new secret');
    expect((await t.get('/api/users/me', again)).status).toBe(200);
    // Only an administrator may.
    const other = await t.createUser('other@example.com');
    expect(
      (
        await t.request('POST', `/api/users/${again.id}/password`, {
          as: other,
          body: { newPassword: 'x'.repeat(12) },
        })
      ).status,
    ).toBe(403);
    const audit = await t.get<{ items: { action: string; target: string }[] }>('/api/audit?limit=100');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'user.password-reset', target: `user:${bob.id}` }),
    );
  });

  it('an administrator changes a role; the last admin and one’s own role are protected', async () => {
    const carol = await t.createUser('carol@example.com');
    const up = await t.request<{ role: string }>('PATCH', `/api/users/${carol.id}`, {
      body: { role: 'admin' },
    });
    expect(up.status).toBe(200);
    expect(up.body.role).toBe('admin');
    // The same session gains the role at once: every request reads the account again.
    expect((await t.get<{ role: string }>('/api/users/me', carol)).body.role).toBe('admin');
    const carolAdmin = await t.login(carol.email, carol.password);
    expect((await t.get('/api/users', carolAdmin)).status).toBe(200);
    expect((await t.request('PATCH', `/api/users/${t.admin.id}`, { body: { role: 'user' } })).status).toBe(
      400,
    );
    // Carol demotes the first admin, then cannot demote herself, the last admin.
    expect(
      (await t.request('PATCH', `/api/users/${t.admin.id}`, { as: carolAdmin, body: { role: 'user' } }))
        .status,
    ).toBe(200);
    const self = await t.request<{ detail: string }>('PATCH', `/api/users/${carolAdmin.id}`, {
      as: carolAdmin,
      body: { role: 'user' },
    });
    expect(self.status).toBe(400);
    const admin = await t.login(t.admin.email, t.admin.password);
    expect((await t.get('/api/users', admin)).status).toBe(403);
    // Put things back for the other tests.
    expect(
      (await t.request('PATCH', `/api/users/${t.admin.id}`, { as: carolAdmin, body: { role: 'admin' } }))
        .status,
    ).toBe(200);
    t.admin.accessToken = (await t.login(t.admin.email, t.admin.password)).accessToken;
    const audit = await t.get<{ items: { action: string; details: Record<string, unknown> }[] }>(
      '/api/audit?limit=100',
    );
    expect(audit.body.items.filter((a) => a.action === 'user.role-changed')).toHaveLength(3);
  });

  it('refuses a viewer’s "Empty trash" with 403 and records library creation in the audit log', async () => {
    const viewer = await t.createUser('viewer@example.com');
    expect(
      (await t.request('PUT', `/api/libraries/${library}/shares/${viewer.id}`, { body: { role: 'viewer' } }))
        .status,
    ).toBe(204);
    const res = await t.request<{ detail: string }>('POST', '/api/trash/purge', { as: viewer, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/owner/);
    expect((await t.request('POST', '/api/trash/purge', { body: {} })).status).toBe(202);

    const other = await makeTempDir('explore-api-2');
    try {
      const created = await t.request<{ id: string }>('POST', '/api/libraries', { body: { roots: [other] } });
      expect(created.status).toBe(201);
      const audit = await t.get<{ items: { action: string; target: string }[] }>('/api/audit?limit=100');
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({ action: 'library.created', target: `library:${created.body.id}` }),
      );
      await t.app.queue.whenIdle();
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });
});
