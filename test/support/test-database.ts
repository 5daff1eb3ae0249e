import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** DATABASE_URL of the PostgreSQL server to test against, or undefined for PGlite. */
export const postgresUrl: string | undefined = process.env.DATABASE_URL || undefined;

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The URL of the fresh database (PostgreSQL) or null (PGlite in memory). */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database on the test server; dropped by the returned function. */
export async function createFreshPostgresDatabase(
  baseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `photosync_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A migrated database for one test file: a new PostgreSQL database, or an in-memory PGlite. */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (postgresUrl) {
    const fresh = await createFreshPostgresDatabase(postgresUrl);
    const handle = await openDatabase({ databaseUrl: fresh.url, dataDir: null });
    if (opts.migrate !== false) await migrateToLatest(handle.db);
    return {
      handle,
      url: fresh.url,
      drop: async () => {
        await handle.close();
        await fresh.drop();
      },
    };
  }
  const handle = await openDatabase({ databaseUrl: null, dataDir: null });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return { handle, url: null, drop: () => handle.close() };
}
