import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionRepository } from '../../src/db/repositories/action.repository.js';
import { AssetRepository } from '../../src/db/repositories/asset.repository.js';
import { DuplicateRepository } from '../../src/db/repositories/duplicate.repository.js';
import { JobRepository } from '../../src/db/repositories/job.repository.js';
import { LibraryRepository } from '../../src/db/repositories/library.repository.js';
import { insertSyntheticAssets } from '../support/synthetic-assets.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.js';

/**
 * The drivers send a statement's parameter count in 16 bits: one statement with more than 65,535
 * parameters fails ("bind message has 13940 parameter formats but 0 parameters" when `/` was
 * registered and its scan split into 13,246 ingest batches). Every list that grows with the user's
 * data is written and read here at a size well past that limit, on the real database.
 */
const MANY = 72_000;
/**
 * Rows written through a many-parameter insert: 10,000 new files are 70,001 parameters (seven a
 * row and the conflict's status), a chain of 16,999 edges 84,995 (five a row). Lists of ids, at one
 * or two parameters each, need all MANY; rows this wide are past the limit with far fewer, which
 * keeps the file fast.
 */
const FILES = 10_000;
const EDGES = 17_000;
const SLOW = 300_000;

/*
 * The chunking is the same code on both backends; only node-postgres fails past the limit, and the
 * same lists take PGlite's WebAssembly ~7 minutes on two cores, so this file runs on PostgreSQL
 * (npm run test:postgres, a step of CI).
 */
if (!postgresUrl)
  console.info('parameter-limits: skipped on PGlite (node-postgres has the 16-bit limit); set DATABASE_URL');

describe.skipIf(!postgresUrl)('lists larger than the driver’s parameter limit', () => {
  let tdb: TestDatabase;
  let libraryId: string;
  let assetIds: string[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    libraryId = (await new LibraryRepository(tdb.handle.db).create({ name: 'big', roots: ['/big'] })).id;
    await insertSyntheticAssets(tdb.handle.db, libraryId, '/big', MANY, { linkEvery: MANY + 1 });
    assetIds = (
      await tdb.handle.db
        .selectFrom('assets')
        .select('id')
        .where('library_id', '=', libraryId)
        .orderBy('path')
        .execute()
    ).map((r) => r.id);
  }, 300_000);
  afterAll(() => tdb.drop());

  it(
    'a scan split into 14,000 ingest batches records every child job (6 parameters each)',
    async () => {
      const jobs = new JobRepository(tdb.handle.db);
      const parent = await jobs.create({ type: 'library.scan', libraryId, payload: { libraryId } });
      const payloads = Array.from({ length: 14_000 }, (_, i) => ({ libraryId, assetIds: [assetIds[i]] }));
      const children = await jobs.createChildren(parent, 'library.ingest-batch', payloads);
      expect(children).toHaveLength(14_000);
      const stored = await tdb.handle.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('parent_id', '=', parent.id)
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(14_000);
    },
    SLOW,
  );

  it(
    '10,000 discovered files become pending rows, and 10,000 known ones go back to pending',
    async () => {
      const assets = new AssetRepository(tdb.handle.db);
      const lib = await new LibraryRepository(tdb.handle.db).create({ name: 'walk', roots: ['/walk'] });
      const files = Array.from({ length: FILES }, (_, i) => ({
        path: `/walk/${Math.floor(i / 1000)}/IMG_${i}.JPG`,
        sizeBytes: 100 + i,
        mtimeMs: 1_700_000_000_000 + i,
        inode: `2:${i}`,
      }));
      await assets.upsertPending(lib.id, files);
      expect(await assets.pendingIds(lib.id)).toHaveLength(FILES);
      // The original library's synthetic rows are ready; rediscovering them changed puts them back to pending.
      await assets.upsertPending(
        libraryId,
        Array.from({ length: FILES }, (_, i) => ({
          path: `/big/synthetic/${Math.floor((i + 1) / 1000)}/IMG_${i + 1}.JPG`,
          sizeBytes: 1,
          mtimeMs: 1,
          inode: 'changed',
        })),
      );
      expect(await assets.pendingIds(libraryId)).toHaveLength(FILES);
      await sql`update assets set status = 'ready' where library_id = ${libraryId}::uuid and status = 'pending'`.execute(
        tdb.handle.db,
      );
    },
    SLOW,
  );

  it(
    'a group of 12,000 identical files is stored, applied and marked not-duplicate',
    async () => {
      const duplicates = new DuplicateRepository(tdb.handle.db);
      const members = assetIds.slice(0, 12_000);
      await duplicates.replaceGroups(
        ['exact'],
        [
          {
            kind: 'exact',
            groupKey: 'exact:huge',
            keeperAssetId: members[0] as string,
            bytesReclaimable: 1,
            minSimilarity: 1,
            confidence: 'green',
            newestAt: new Date(),
            members: members.map((assetId, rank) => ({
              assetId,
              rank,
              similarity: 1,
              isKeeper: rank === 0,
              keeperReason: rank === 0 ? 'oldest' : null,
            })),
          },
        ],
      );
      const stored = await tdb.handle.db
        .selectFrom('duplicate_group_members')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(12_000);

      // Applying it queues a removal of every copy but the keeper (9 parameters each).
      const actions = new ActionRepository(tdb.handle.db);
      const removals = await actions.insertRemovals(
        members.slice(1).map((assetId) => ({
          libraryId,
          assetId,
          keeperAssetIds: [members[0] as string],
          source: 'duplicate-group',
          sourceId: null,
          reason: 'exact copy',
          requestedBy: null,
        })),
      );
      expect(removals).toHaveLength(11_999);
      expect(await actions.findItems(removals.map((r) => r.id))).toHaveLength(11_999);
      expect(await actions.assetsByIds(assetIds)).toHaveLength(MANY);

      // "Not duplicates" for 270 members is 36,315 pairs (two parameters each: 72,630).
      const pairs: [string, string][] = [];
      const few = members.slice(0, 270);
      for (let i = 0; i < few.length; i++)
        for (let j = i + 1; j < few.length; j++) pairs.push([few[i] as string, few[j] as string]);
      await duplicates.addNotDuplicatePairs(pairs);
      expect((await duplicates.notDuplicatePairs()).size).toBe(pairs.length);
    },
    SLOW,
  );

  it(
    'similarity edges of 17,000 pictures are written, then found, matched and removed by 72,000 ids',
    async () => {
      const duplicates = new DuplicateRepository(tdb.handle.db);
      const edges = assetIds.slice(1, EDGES).map((b, i) => ({
        a: assetIds[i] as string,
        b,
        score: 0.9,
        tier: 'similar' as const,
        transform: null,
      }));
      await duplicates.upsertEdges(edges);
      expect(await duplicates.edgesTouching(assetIds)).toHaveLength(edges.length);
      await duplicates.markMatched(assetIds, new Date());
      await duplicates.deleteEdgesOf(assetIds);
      expect(await duplicates.edgesTouching(assetIds)).toHaveLength(0);
    },
    SLOW,
  );

  it(
    'a complete walk that saw none of 72,000 known files marks them all missing',
    async () => {
      const assets = new AssetRepository(tdb.handle.db);
      expect(await assets.markMissingExcept(libraryId, new Set(), assetIds)).toBe(MANY);
    },
    SLOW,
  );
});
