import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface AlbumJson {
  id: string;
  name: string;
  assetCount: number;
  coverAssetId: string | null;
  coverUrl: string | null;
  assetIds: string[];
}

describe('albums by hand, favourites and originals (API)', () => {
  let root: string;
  let t: TestApp;
  let bob: TestUser;
  let ids: string[];
  const photo = (i: number) => path.join(root, `p/IMG_${i}.JPG`);

  beforeAll(async () => {
    root = await makeTempDir('albums-api');
    for (let i = 0; i < 3; i++)
      await writeFileDeep(
        photo(i),
        await makeJpeg({
          seed: 40 + i,
          width: 400,
          height: 300,
          dateTimeOriginal: `2024:05:0${i + 1} 10:00:00`,
        }),
      );
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    bob = await t.createUser('bob@example.com');
    const assets = (await t.get<Page<{ id: string; path: string }>>('/api/assets')).body.items;
    ids = [0, 1, 2].map((i) => assets.find((a) => a.path === photo(i))?.id ?? '');
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('creates, renames, fills, covers and empties an album; another user cannot see it', async () => {
    const created = await t.request<AlbumJson>('POST', '/api/albums', {
      body: { name: '  Spring  ', assetIds: [ids[0], ids[1]] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Spring', assetCount: 2, coverAssetId: ids[0] });
    const id = created.body.id;

    const changed = await t.request<AlbumJson>('PATCH', `/api/albums/${id}`, {
      body: { name: 'Spring 2024', addAssetIds: [ids[2]], coverAssetId: ids[2] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Spring 2024', assetCount: 3, coverAssetId: ids[2] });
    const list = await t.get<Page<AlbumJson>>('/api/albums');
    expect(list.body.items).toEqual([
      expect.objectContaining({ id, assetCount: 3, coverUrl: `/api/assets/${ids[2]}/thumbnail` }),
    ]);

    // Removing the cover photo falls back to the first photo.
    const removed = await t.request<AlbumJson>('PATCH', `/api/albums/${id}`, {
      body: { removeAssetIds: [ids[2]] },
    });
    expect(removed.body).toMatchObject({ assetCount: 2, coverAssetId: ids[0] });

    const notMember = await t.request<{ detail: string }>('PATCH', `/api/albums/${id}`, {
      body: { coverAssetId: ids[2] },
    });
    expect(notMember.status).toBe(400);
    expect(notMember.body.detail).toContain('not in it');

    expect((await t.get(`/api/albums/${id}`, bob)).status).toBe(404);
    const bobAdds = await t.request<{ detail: string }>('POST', '/api/albums', {
      as: bob,
      body: { name: 'Mine', assetIds: [ids[0]] },
    });
    expect(bobAdds.status).toBe(404);
    expect((await t.get<Page<AlbumJson>>('/api/albums', bob)).body.items).toEqual([]);

    expect((await t.request('DELETE', `/api/albums/${id}`)).status).toBe(204);
    expect((await t.get(`/api/albums/${id}`)).status).toBe(404);
    // The photos stay.
    expect((await t.get(`/api/assets/${ids[0]}`)).status).toBe(200);
  });

  it('keeps favourites per user, newest first', async () => {
    for (const i of [0, 2])
      expect(
        (await t.request('PUT', `/api/assets/${ids[i]}/favourite`, { body: { favourite: true } })).status,
      ).toBe(200);
    expect((await t.get<{ favourite: boolean }>(`/api/assets/${ids[2]}/favourite`)).body.favourite).toBe(
      true,
    );
    expect((await t.get<{ favourite: boolean }>(`/api/assets/${ids[1]}/favourite`)).body.favourite).toBe(
      false,
    );
    const page1 = await t.get<Page<{ id: string }>>('/api/favourites?limit=1');
    expect(page1.body.items.map((a) => a.id)).toEqual([ids[2]]);
    const page2 = await t.get<Page<{ id: string }>>(
      `/api/favourites?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor ?? '')}`,
    );
    expect(page2.body.items.map((a) => a.id)).toEqual([ids[0]]);
    expect((await t.get<Page<unknown>>('/api/favourites', bob)).body.items).toEqual([]);
    expect(
      (await t.request('PUT', `/api/assets/${ids[0]}/favourite`, { as: bob, body: { favourite: true } }))
        .status,
    ).toBe(404);
    await t.request('PUT', `/api/assets/${ids[2]}/favourite`, { body: { favourite: false } });
    expect((await t.get<Page<{ id: string }>>('/api/favourites')).body.items.map((a) => a.id)).toEqual([
      ids[0],
    ]);
  });

  it('serves the original whole or by byte range', async () => {
    const bytes = await fs.readFile(photo(1));
    const whole = await fetch(`${t.baseUrl}/api/assets/${ids[1]}/original?download=1`, {
      headers: { authorization: `Bearer ${t.admin.accessToken}` },
    });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''IMG_1.JPG`);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(digest(new Uint8Array(await whole.arrayBuffer()))).toBe(digest(bytes));

    const part = await fetch(`${t.baseUrl}/api/assets/${ids[1]}/original`, {
      headers: { authorization: `Bearer ${t.admin.accessToken}`, range: 'bytes=10-19' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(10, 20));

    const tail = await fetch(`${t.baseUrl}/api/assets/${ids[1]}/original`, {
      headers: { authorization: `Bearer ${t.admin.accessToken}`, range: 'bytes=-5' },
    });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 5));

    const outside = await fetch(`${t.baseUrl}/api/assets/${ids[1]}/original`, {
      headers: { authorization: `Bearer ${t.admin.accessToken}`, range: `bytes=${bytes.length}-` },
    });
    expect(outside.status).toBe(416);
    expect((await t.get(`/api/assets/${ids[1]}/original`, bob)).status).toBe(404);
  });
});
