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

  it('reads every listed column exactly as a single-asset read does', async () => {
    const repo = new AssetRepository(tdb.handle.db);
    const full = await tdb.handle.db
      .insertInto('assets')
      .values({
        library_id: hidden,
        path: '/p/full "quoted" \\ ünïcödé.jpg',
        size_bytes: 9_007_199_254_740,
        mtime_ms: 1_700_000_000_123.5,
        inode: '42:7',
        status: 'ready',
        kind: 'jpeg',
        mime: 'image/jpeg',
        sha256: 'ab'.repeat(32),
        problem_code: 'corrupt',
        problem_message: 'truncated\nat byte 12',
        sort_at: new Date('2031-02-03T04:05:06.789Z'),
        captured_at: new Date('2031-02-03T04:05:06.789Z'),
        capture_local: '2031-02-03 05:05:06',
        capture_offset_minutes: -90,
        make: 'Canon',
        model: 'EOS R6',
        body_serial: '0123',
        lens: 'RF 35mm F1.8',
        exposure_time: 1 / 250,
        f_number: 1.8,
        iso: 3200,
        focal_length: 35.5,
        burst_id: 'B1',
        sequence_number: 3,
        content_identifier: 'CID',
        gps_latitude: -33.856784,
        gps_longitude: 151.215297,
        gps_altitude: -12.25,
        orientation: 6,
        width: 6000,
        height: 4000,
        rating: 4,
        description: 'a "view"',
        duration_seconds: 12.345,
        phash: 'f0f0f0f0f0f0f0f0',
        quality: JSON.stringify({ laplacianVariance: 123.456, clipped: 0.01 }),
        has_thumbnail: true,
        quality_score: 87,
        quality_labels: JSON.stringify(['blurry', 'dark']),
        ingested_at: new Date('2031-02-04T00:00:00.001Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [listed] = await repo.listPage({ limit: 1, after: null, status: 'ready', libraryIds: [hidden] });
    const single = await repo.findById(full.id);
    expect(listed?.id).toBe(full.id);
    const expected = Object.fromEntries(
      Object.keys(listed!).map((k) => [k, single![k as keyof typeof single]]),
    );
    expect(listed).toEqual(expected);
    expect(listed!.sort_at).toBeInstanceOf(Date);
    await tdb.handle.db.deleteFrom('assets').where('id', '=', full.id).execute();
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
