import { Permission } from '@immich/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../support/api-types.js';
import { FakeImmich } from '../support/fake-immich.js';
import { makeJpeg } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface ConnectJson {
  id: string;
  kind: string;
  immich: { url: string; version: string | null } | null;
  scanJobId: string;
  serverVersion: string;
  missingPermissions: { permission: string; usedFor: string }[];
}

interface JobJson {
  status: string;
  error: string | null;
  progress: { total: number; done: number; failed: number };
}

describe('Immich library: connect, check the key, read the assets', () => {
  let t: TestApp;
  let immich: FakeImmich;
  const ids: Record<string, string> = {};
  let libraryId = '';

  beforeAll(async () => {
    immich = new FakeImmich();
    await immich.start();
    // Two copies of one picture (a re-encoded, smaller export), and two different pictures.
    const original = await makeJpeg({
      seed: 11,
      dateTimeOriginal: '2024:06:01 10:00:00',
      make: 'Canon',
      model: 'EOS R6',
    });
    const smaller = await sharp(original).resize(800).jpeg({ quality: 70 }).toBuffer();
    ids.original = (await immich.addPhoto(original, '/photos/2024/IMG_0001.JPG')).id;
    ids.export = (await immich.addPhoto(smaller, '/photos/export/IMG_0001.jpg')).id;
    ids.other = (
      await immich.addPhoto(
        await makeJpeg({ seed: 12, dateTimeOriginal: '2024:06:02 09:00:00' }),
        '/photos/2024/IMG_0002.JPG',
      )
    ).id;
    ids.third = (
      await immich.addPhoto(
        await makeJpeg({ seed: 13, dateTimeOriginal: '2024:06:03 09:00:00' }),
        '/photos/2024/IMG_0003.JPG',
      )
    ).id;
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.stop();
    await immich.stop();
  });

  it('refuses a wrong key, an unreachable server and another major version, creating nothing', async () => {
    const wrong = await t.request<ProblemJson>('POST', '/api/libraries/immich', {
      body: { url: immich.url, apiKey: 'not-the-key' },
    });
    expect(wrong.status).toBe(502);
    expect(wrong.body.detail).toMatch(/refused the API key/);

    const down = await t.request<ProblemJson>('POST', '/api/libraries/immich', {
      body: { url: 'http://127.0.0.1:1', apiKey: immich.apiKey },
    });
    expect(down.status).toBe(502);
    expect(down.body.detail).toMatch(/cannot be reached/);

    immich.version = { major: 2, minor: 4, patch: 0, prerelease: null };
    const old = await t.request<ProblemJson>('POST', '/api/libraries/immich', {
      body: { url: immich.url, apiKey: immich.apiKey },
    });
    immich.version = { major: 3, minor: 2, patch: 2, prerelease: null };
    expect(old.status).toBe(400);
    expect(old.body.detail).toMatch(/Immich 2\.4\.0 is not supported.*Update Immich to 3\.x/);

    const libs = await t.get<{ items: unknown[] }>('/api/libraries');
    expect(libs.body.items).toHaveLength(0);
  });

  it('connects, seals the key, syncs the assets and finds the duplicate pair through the previews', async () => {
    immich.permissions = [Permission.AssetRead, Permission.AssetView, Permission.AssetDelete];
    const res = await t.request<ConnectJson>('POST', '/api/libraries/immich', {
      body: { name: 'Home Immich', url: `${immich.url}/api/`, apiKey: immich.apiKey },
    });
    immich.permissions = [Permission.All];
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('immich');
    libraryId = res.body.id;
    expect(res.body.immich?.url).toBe(immich.url);
    expect(res.body.serverVersion).toBe('3.2.2');
    const missing = res.body.missingPermissions.map((p) => p.permission);
    expect(missing).toContain('asset.update');
    expect(missing).toContain('stack.create');
    expect(missing).not.toContain('asset.read');
    expect(missing).not.toContain('asset.delete');
    // The key is nowhere in what the API returns, and only sealed in the database.
    const listed = await t.get<unknown>('/api/libraries');
    expect(JSON.stringify(listed.body)).not.toContain(immich.apiKey);
    expect(JSON.stringify(res.body)).not.toContain(immich.apiKey);
    const row = await t.app.database.db
      .selectFrom('libraries')
      .select('immich_key_sealed')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.immich_key_sealed).toMatch(/^v1:/);
    expect(row.immich_key_sealed).not.toContain(immich.apiKey);

    await t.app.queue.whenIdle();
    const job = (await t.get<JobJson>(`/api/jobs/${res.body.scanJobId}`)).body;
    expect(job.status).toBe('completed');
    expect(job.progress).toMatchObject({ total: 4, done: 4, failed: 0 });
    const assets = await t.app.database.db
      .selectFrom('assets')
      .select([
        'id',
        'external_id',
        'path',
        'status',
        'sha256',
        'make',
        'captured_at',
        'has_thumbnail',
        'signatures',
      ])
      .where('library_id', '=', res.body.id)
      .orderBy('path')
      .execute();
    expect(assets.map((a) => a.path)).toEqual([
      '/photos/2024/IMG_0001.JPG',
      '/photos/2024/IMG_0002.JPG',
      '/photos/2024/IMG_0003.JPG',
      '/photos/export/IMG_0001.jpg',
    ]);
    for (const a of assets) {
      expect(a.status).toBe('ready');
      expect(a.has_thumbnail).toBe(true);
      expect(a.signatures).not.toBeNull();
      expect(a.sha256).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(assets[0]).toMatchObject({ external_id: ids.original, make: 'Canon' });
    expect(assets[0]?.captured_at?.toISOString()).toBe('2024-06-01T10:00:00.000Z');

    // Thumbnails are served like a folder library's.
    const thumb = await t.request<Buffer>('GET', `/api/assets/${assets[0]?.id}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect((await sharp(thumb.body).metadata()).format).toBe('webp');

    // The viewer's preview is Immich's preview rendition, proxied as WebP.
    const preview = await t.request<Buffer>('GET', `/api/assets/${assets[0]?.id}/preview?size=1280`);
    expect(preview.status).toBe(200);
    const previewMeta = await sharp(preview.body).metadata();
    expect(previewMeta.format).toBe('webp');
    expect(Math.max(previewMeta.width, previewMeta.height)).toBe(1200);
    expect(immich.hits.get('GET /api/assets/:id/thumbnail')).toBe(5);

    // The duplicate analysis (queued after insights) pairs the original with its export.
    const groups = await t.get<{ items: { id: string; kind: string; memberCount: number }[] }>(
      `/api/duplicates?library=${res.body.id}`,
    );
    expect(groups.body.items).toHaveLength(1);
    const detail = await t.get<{ members: { asset: { id: string } }[] }>(
      `/api/duplicates/${groups.body.items[0]?.id}`,
    );
    expect(detail.body.members.map((m) => m.asset.id).sort()).toEqual([assets[0]?.id, assets[3]?.id].sort());
  });

  it('a revoked key fails the next sync with the reason and keeps the assets; a new key resumes it', async () => {
    immich.apiKey = 'rotated-key-abcdefghijklmnop';
    const scan = await t.request<{ jobId: string }>('POST', `/api/libraries/${libraryId}/scan`);
    await t.app.queue.whenIdle();
    const failed = (await t.get<JobJson>(`/api/jobs/${scan.body.jobId}`)).body;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/refused the API key/);
    const ready = await t.app.database.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('library_id', '=', libraryId)
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow();
    expect(Number(ready.n)).toBe(4);

    const wrong = await t.request<ProblemJson>('POST', `/api/libraries/${libraryId}/immich/check`, {
      body: { apiKey: 'still-wrong' },
    });
    expect(wrong.status).toBe(502);
    const fixed = await t.request<{ missingPermissions: unknown[] }>(
      'POST',
      `/api/libraries/${libraryId}/immich/check`,
      {
        body: { apiKey: immich.apiKey },
      },
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body.missingPermissions).toEqual([]);

    // Incremental: only what changed since the last sync is read again.
    await immich.addPhoto(
      await makeJpeg({ seed: 14, dateTimeOriginal: '2024:06:04 09:00:00' }),
      '/photos/2024/IMG_0004.JPG',
    );
    const previews = immich.hits.get('GET /api/assets/:id/thumbnail') ?? 0;
    const again = await t.request<{ jobId: string }>('POST', `/api/libraries/${libraryId}/scan`);
    await t.app.queue.whenIdle();
    const done = (await t.get<JobJson>(`/api/jobs/${again.body.jobId}`)).body;
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ total: 1, done: 1 });
    expect(immich.hits.get('GET /api/assets/:id/thumbnail')).toBe(previews + 1);
  });
});
