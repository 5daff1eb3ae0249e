import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersionOf } from '../../src/db/data-version.js';
import { AssetRepository } from '../../src/db/repositories/asset.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The timeline's keyset pages on a real database (PGlite, or PostgreSQL with DATABASE_URL): many
 * assets share a capture time, so the (time, id) order must page through every one exactly once.
 * And the data version the page cache relies on moves with every committed write, not with reads.
 */
describe('timeline keyset pages and the data version', () => {
  let tdb: TestDatabase;
  let visible: string;
  let hidden: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const db = tdb.handle.db;
    const lib = (name: string) =>
      db
        .insertInto('libraries')
        .values({ name, roots: JSON.stringify([`/${name}`]) })
        .returning('id')
        .executeTakeFirstOrThrow();
    visible = (await lib('visible')).id;
    hidden = (await lib('hidden')).id;
    // 3 capture times × 7 assets each per library, plus one pending and one sidecar that never show.
    for (const libraryId of [visible, hidden])
      await sql`
        insert into assets (library_id, path, size_bytes, mtime_ms, inode, status, kind, sort_at)
        select ${libraryId}::uuid, '/p/' || g, 1, 0, g::text, 'ready', 'jpeg',
               timestamptz '2024-01-01' + (g % 3) * interval '1 hour'
        from generate_series(1, 21) g`.execute(db);
    await sql`
      insert into assets (library_id, path, size_bytes, mtime_ms, inode, status, kind, sort_at) values
        (${visible}::uuid, '/p/pending', 1, 0, 'x', 'pending', null, timestamptz '2024-01-01'),
        (${visible}::uuid, '/p/side.xmp', 1, 0, 'y', 'ready', 'xmp', timestamptz '2024-01-01')`.execute(db);
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('pages through ties in capture time without skipping or repeating an asset', async () => {
    const repo = new AssetRepository(tdb.handle.db);
    const all = await repo.listPage({ limit: 1000, after: null, status: 'ready', libraryIds: [visible] });
    expect(all).toHaveLength(21);
    const expected = [...all].sort(
      (a, b) => b.sort_at.getTime() - a.sort_at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    expect(all.map((a) => a.id)).toEqual(expected.map((a) => a.id));

    for (const limit of [1, 2, 5, 7, 8]) {
      const seen: string[] = [];
      let after: { sortAt: Date; id: string } | null = null;
      for (;;) {
        const page = await repo.listPage({ limit, after, status: 'ready', libraryIds: [visible] });
        seen.push(...page.map((a) => a.id));
        const last = page.at(-1);
        if (page.length < limit || !last) break;
        after = { sortAt: last.sort_at, id: last.id };
      }
      expect(seen).toEqual(expected.map((a) => a.id));
    }
  });

  it('keeps to the caller libraries and to the one asked for', async () => {
    const repo = new AssetRepository(tdb.handle.db);
    const both = await repo.listPage({
      limit: 100,
      after: null,
      status: 'ready',
      libraryIds: [visible, hidden],
    });
    expect(both).toHaveLength(42);
    const one = await repo.listPage({
      limit: 100,
      after: null,
      status: 'ready',
      libraryIds: [visible, hidden],
      libraryId: hidden,
    });
    expect(new Set(one.map((a) => a.library_id))).toEqual(new Set([hidden]));
    const notVisible = await repo.listPage({
      limit: 100,
      after: null,
      status: 'ready',
      libraryIds: [visible],
      libraryId: hidden,
    });
    expect(notVisible).toEqual([]);
  });

  it('moves the data version on a committed write, and not on reads', async () => {
    const db = tdb.handle.db;
    const version = dataVersionOf(db);
    const before = await version();
    await db.selectFrom('assets').select('id').execute();
    expect(await version()).toBe(before);
    await db.updateTable('assets').set({ rating: 5 }).where('path', '=', '/p/1').execute();
    const afterWrite = await version();
    expect(afterWrite).not.toBe(before);
    await db.selectFrom('libraries').selectAll().execute();
    expect(await version()).toBe(afterWrite);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('assets').where('path', '=', '/p/pending').execute();
    });
    expect(await version()).not.toBe(afterWrite);
  });
});
