import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { makeJpeg, writeFileDeep } from './images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from './test-app.js';

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

/** A test server (30-day trash retention) where alice and bob each own a library with one trashed copy. */
export interface TrashOwners {
  t: TestApp;
  alice: TestUser;
  bob: TestUser;
  libs: Record<'alice' | 'bob', string>;
  trash: TrashFixture;
  /** Stops the server and removes the libraries' base folder. */
  stop: () => Promise<void>;
}

/** Starts the server of the purge and retention suites; `seeds` draw alice's and bob's pictures. */
export async function startTrashOwners(prefix: string, seeds: [number, number]): Promise<TrashOwners> {
  const base = await makeTempDir(prefix);
  const t = await startTestApp({ env: { LIBRARY_BASE: base, TRASH_RETENTION_DAYS: '30' } });
  const trash = new TrashFixture(t, base);
  const alice = await t.createUser('alice@example.com');
  const bob = await t.createUser('bob@example.com');
  const libs = {
    alice: await trash.libraryWithTrash('alice', alice, seeds[0]),
    bob: await trash.libraryWithTrash('bob', bob, seeds[1]),
  };
  const stop = async () => {
    await t.stop();
    await fs.rm(base, { recursive: true, force: true });
  };
  return { t, alice, bob, libs, trash, stop };
}
