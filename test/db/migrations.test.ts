import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Tables, columns, indexes and constraints of the public schema, in a stable order. */
async function describeSchema(db: Kysely<Database>) {
  const columns = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(db);
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where schemaname = 'public' and tablename not like 'kysely_%' order by indexname`.execute(db);
  const constraints = await sql<{ conname: string; def: string }>`
    select c.conname, pg_get_constraintdef(c.oid) as def
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = 'public' and c.conname not like 'kysely_%' order by c.conname`.execute(db);
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
}

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('run from an empty database, then are a no-op the second time', async () => {
    const first = await migrateToLatest(t.handle.db);
    expect(first).toEqual(Object.keys(migrations));
    const second = await migrateToLatest(t.handle.db);
    expect(second).toEqual([]);
  });

  it('produce the same schema on every backend (PGlite and PostgreSQL share one snapshot)', async () => {
    const schema = await describeSchema(t.handle.db);
    expect(schema.columns.map((c) => c.table_name)).toContain('assets');
    await expect(JSON.stringify(schema, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/schema.json');
  });

  it('enforce one row per library path', async () => {
    const lib = await t.handle.db
      .insertInto('libraries')
      .values({ name: 'x', roots: JSON.stringify(['/x']) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = {
      library_id: lib.id,
      path: '/x/a.jpg',
      size_bytes: 1,
      mtime_ms: 1,
      inode: '1:1',
      status: 'pending' as const,
      sort_at: new Date(),
    };
    await t.handle.db.insertInto('assets').values(row).execute();
    await expect(t.handle.db.insertInto('assets').values(row).execute()).rejects.toThrow(/unique|duplicate/i);
  });
});
