import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { isPreparable, PreparingPool } from '../../src/db/prepared-statements.js';
import { ActionRepository, ActiveRemovalExistsError } from '../../src/db/repositories/action.repository.js';
import { TimelineRepository } from '../../src/db/repositories/timeline.repository.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/test-database.js';

describe('which texts may become prepared statements', () => {
  it('names single DML statements only', () => {
    expect(isPreparable('select 1')).toBe(true);
    expect(isPreparable('  WITH x as (select 1) select * from x')).toBe(true);
    expect(isPreparable('insert into t values ($1)')).toBe(true);
    for (const text of [
      'begin',
      'commit',
      'rollback',
      'set local statement_timeout = 0',
      'create table t (a int)',
      'alter table t add column b int',
      'listen x',
      "notify x, 'y'",
      'select 1; select 2',
      'savepoint "sp"',
    ])
      expect(isPreparable(text), text).toBe(false);
  });
});

/**
 * On a real PostgreSQL (DATABASE_URL): repeated queries run as named prepared statements on their
 * connection and behave exactly as unnamed ones. PGlite is not wrapped, so these tests skip there.
 */
if (!postgresUrl)
  console.warn(
    'prepared-statement tests skipped: PGlite has no prepared statements to test; set DATABASE_URL (PostgreSQL) to run them (.ci/run does)',
  );
describe.skipIf(!postgresUrl)('prepared statements on PostgreSQL', () => {
  let tdb: TestDatabase;
  let libraryId: string;
  let assetId: string;
  /** A Kysely on one connection, so each test sees the statements that connection prepared. */
  let single: Kysely<Database>;

  const preparedOn = async (db: Kysely<Database>) =>
    (
      await sql<{ statement: string }>`
        select statement from pg_prepared_statements where statement not like '%pg_prepared_statements%'`.execute(
        db,
      )
    ).rows.map((r) => r.statement);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const db = tdb.handle.db;
    libraryId = (
      await db
        .insertInto('libraries')
        .values({ name: 'lib', roots: JSON.stringify(['/lib']) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await sql`
      insert into assets (library_id, path, size_bytes, mtime_ms, inode, status, kind, sort_at)
      select ${libraryId}::uuid, '/p/' || g, 1, 0, g::text, 'ready', 'jpeg',
             timestamptz '2024-01-01' + (g % 3) * interval '1 hour'
      from generate_series(1, 30) g`.execute(db);
    assetId = (await db.selectFrom('assets').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const pool = new pg.Pool({ connectionString: tdb.url ?? '', max: 1 });
    single = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PreparingPool(pool) }) });
  });
  afterAll(async () => {
    await single.destroy();
    await tdb.drop();
  });

  it('runs a query seen twice as a named statement of its connection, with identical results', async () => {
    const repo = new TimelineRepository(single);
    const first = await repo.gridPage({ libraryIds: [libraryId], limit: 7, after: null });
    expect(await preparedOn(single)).toEqual([]);
    const pages = [first];
    // Past 5 executions PostgreSQL may switch to a generic plan: results must not change.
    for (let i = 0; i < 8; i++)
      pages.push(await repo.gridPage({ libraryIds: [libraryId], limit: 7, after: null }));
    const prepared = await preparedOn(single);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toContain('from "assets"');
    for (const page of pages) expect(page).toEqual(first);
    expect(first).toHaveLength(7);

    // Keyset pages (other parameters, same text) reuse the statement and page without gaps.
    const seen: string[] = [];
    let after: { sortAt: Date; id: string } | null = null;
    for (;;) {
      const page = await repo.gridPage({ libraryIds: [libraryId], limit: 7, after });
      seen.push(...page.map((r) => r.id));
      const last = page.at(-1);
      if (page.length < 7 || !last) break;
      after = { sortAt: new Date(last.sort_ms), id: last.id };
    }
    expect(seen).toHaveLength(30);
    expect(await preparedOn(single)).toHaveLength(2);
    expect(new Set(seen).size).toBe(30);
  });

  it('never prepares DDL, SET or transaction control, and transactions still commit and roll back', async () => {
    for (let i = 0; i < 3; i++) {
      await sql`create table if not exists scratch (n int)`.execute(single);
      await sql`set statement_timeout = 0`.execute(single);
      await single
        .transaction()
        .execute((trx) => trx.insertInto('libraries').values({ name: 'kept', roots: '[]' }).execute());
      await single
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('libraries').values({ name: 'undone', roots: '[]' }).execute();
          throw new Error('roll back');
        })
        .catch(() => undefined);
    }
    const prepared = await preparedOn(single);
    expect(prepared.some((s) => /^\s*(create|set|begin|commit|rollback)/i.test(s))).toBe(false);
    expect(prepared.some((s) => s.startsWith('insert into "libraries"'))).toBe(true);
    const names = await single
      .selectFrom('libraries')
      .select('name')
      .where('name', 'in', ['kept', 'undone'])
      .execute();
    expect(names.map((n) => n.name)).toEqual(['kept', 'kept', 'kept']);
  });

  it('maps a constraint violation from a named statement to our typed error', async () => {
    const repo = new ActionRepository(single);
    const removal = {
      libraryId,
      assetId,
      keeperAssetIds: [],
      source: 'test',
      sourceId: null,
      reason: null,
      requestedBy: null,
    };
    await repo.insertRemovals([removal]);
    // The second and third tries run the insert as a named statement: parsed, then reused.
    for (let i = 0; i < 2; i++)
      await expect(repo.insertRemovals([removal])).rejects.toBeInstanceOf(ActiveRemovalExistsError);
    expect((await preparedOn(single)).some((s) => s.startsWith('insert into "action_items"'))).toBe(true);
  });

  it('keeps answering when a migration changes the columns of a table a named statement reads', async () => {
    await sql`create table reshaped (a int)`.execute(single);
    await sql`insert into reshaped values (1)`.execute(single);
    const read = async () => (await sql`select * from reshaped`.execute(single)).rows;
    await read();
    expect(await read()).toEqual([{ a: 1 }]);
    await sql`alter table reshaped add column b int default 2`.execute(single);
    expect(await read()).toEqual([{ a: 1, b: 2 }]);
    expect(await read()).toEqual([{ a: 1, b: 2 }]);
  });

  it('is what openDatabase hands out on PostgreSQL', async () => {
    const db = tdb.handle.db;
    const prepared = await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++)
        await sql`select count(*) from libraries where name = ${'lib'}`.execute(trx);
      return preparedOn(trx);
    });
    expect(prepared).toContain('select count(*) from libraries where name = $1');
  });

  it('sends everything unnamed with DATABASE_PREPARED_STATEMENTS=false (for PgBouncer in transaction mode)', async () => {
    const plain = await openDatabase({
      databaseUrl: tdb.url ?? '',
      dataDir: null,
      preparedStatements: false,
    });
    try {
      const prepared = await plain.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i++)
          await sql`select count(*) from libraries where name = ${'plain'}`.execute(trx);
        return preparedOn(trx);
      });
      expect(prepared).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
