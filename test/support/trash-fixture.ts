import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { makeJpeg, writeFileDeep } from './images.js';
import type { TestApp, TestUser } from './test-app.js';

/**
 * Libraries under one base folder, each holding an exact-duplicate pair whose copy is already in
 * its trash: what the purge suites need to show which trash a purge empties.
 */
export class TrashFixture {
  constructor(
    private readonly t: TestApp,
    private readonly base: string,
  ) {}

  /** Items still in a library's trash (not restored). */
  async count(libraryId: string): Promise<number> {
    const rows = await this.t.app.database.db
      .selectFrom('trash_items')
      .select('id')
      .where('library_id', '=', libraryId)
      .where('restored_at', 'is', null)
      .execute();
    return rows.length;
  }

  /** The files in the trash folder of `<base>/<folder>`. */
  files(folder: string): Promise<string[]> {
    return fs.readdir(path.join(this.base, folder, '.photo-sync-trash')).catch(() => []);
  }

  /** `<base>/<folder>` registered by `user`, its copy moved to the trash through the API. */
  async libraryWithTrash(folder: string, user: TestUser, seed: number): Promise<string> {
    const { t, base } = this;
    const picture = await makeJpeg({ seed });
    await writeFileDeep(path.join(base, folder, 'a/IMG_1.JPG'), picture);
    await writeFileDeep(path.join(base, folder, 'b/IMG_1 copy.JPG'), picture);
    const lib = await t.request<{ id: string }>('POST', '/api/libraries', {
      as: user,
      body: { roots: [path.join(base, folder)] },
    });
    expect(lib.status).toBe(201);
    await t.app.queue.whenIdle();
    const rows = await t.app.database.db
      .selectFrom('assets')
      .select(['id', 'path'])
      .where('library_id', '=', lib.body.id)
      .execute();
    const keeper = rows.find((r) => r.path.endsWith('a/IMG_1.JPG'))!;
    const copy = rows.find((r) => r.path.endsWith('copy.JPG'))!;
    const removed = await t.request('POST', '/api/actions', {
      as: user,
      body: { items: [{ kind: 'remove', assetId: copy.id, keepAssetIds: [keeper.id] }] },
    });
    expect(removed.status).toBe(202);
    await t.app.queue.whenIdle();
    expect(await this.count(lib.body.id)).toBe(1);
    return lib.body.id;
  }
}
