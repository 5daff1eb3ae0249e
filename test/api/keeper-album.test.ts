import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

describe('keeper rule "in-album" reads real album membership', () => {
  let root: string;
  let t: TestApp;
  const exactKeeper = async () => {
    const groups = (await t.get<Page<{ keeperAssetId: string }>>('/api/duplicates?kind=exact')).body.items;
    expect(groups).toHaveLength(1);
    return groups[0]?.keeperAssetId;
  };

  beforeAll(async () => {
    root = await makeTempDir('keeper-album');
    const photo = await makeJpeg({
      seed: 12,
      width: 1200,
      height: 900,
      dateTimeOriginal: '2024:05:01 10:00:00',
    });
    await writeFileDeep(path.join(root, 'Pictures/2024/2024-05 Rome/IMG_1.JPG'), photo);
    await writeFileDeep(path.join(root, 'Downloads/IMG_1.JPG'), photo);
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps the copy that is in an album over the one in an organised folder', async () => {
    const db = t.app.database.db;
    const rows = await db.selectFrom('assets').select(['id', 'path']).execute();
    const organised = rows.find((r) => r.path.includes('Rome'))?.id;
    const downloaded = rows.find((r) => r.path.includes('Downloads'))?.id;
    expect(await exactKeeper()).toBe(organised);

    const album = await db
      .insertInto('albums')
      .values({ name: 'Favourites' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('album_assets')
      .values({ album_id: album.id, asset_id: downloaded ?? '' })
      .execute();
    await t.request('POST', '/api/duplicates/analyse');
    await t.app.queue.whenIdle();
    expect(await exactKeeper()).toBe(downloaded);
  });
});
