import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
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

/** The run's template databases (database-template.ts); none outside Vitest (benchmarks use these helpers). */
function pgliteTemplate(): string | null {
  return process.env.VITEST && !postgresUrl ? (inject('pgliteTemplate') ?? null) : null;
}
function postgresTemplate(): string | null {
  return process.env.VITEST && postgresUrl ? (inject('postgresTemplate') ?? null) : null;
}

/**
 * Gives `<dataDir>/db` a copy of the run's migrated, empty PGlite database, so the app opens it
 * instead of running initdb. A project without that setup, or a run on PostgreSQL, gets nothing
 * here and the app creates the database itself.
 */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  const template = pgliteTemplate();
  if (!template) return;
  await fs.cp(path.join(template, 'db'), path.join(dataDir, 'db'), { recursive: true });
}

/**
 * A fresh PostgreSQL database on the test server; dropped by the returned function. Empty, or with
 * `migrated`, a copy of the run's migrated template when there is one (the app's own migration
 * then finds nothing to do).
 */
export async function createFreshPostgresDatabase(
  baseUrl: string,
  opts: { migrated?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `photosync_test_${randomBytes(6).toString('hex')}`;
  const template = opts.migrated ? postgresTemplate() : null;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
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
    const fresh = await createFreshPostgresDatabase(postgresUrl, { migrated: opts.migrate !== false });
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
  // Migrated: a copy of the run's template (on disk, in a temporary directory) when there is one.
  const template = opts.migrate !== false ? pgliteTemplate() : null;
  if (template) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-db-'));
    await seedPgliteDataDir(dataDir);
    const handle = await openDatabase({ databaseUrl: null, dataDir });
    await migrateToLatest(handle.db);
    return {
      handle,
      url: null,
      drop: async () => {
        await handle.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const handle = await openDatabase({ databaseUrl: null, dataDir: null });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return { handle, url: null, drop: () => handle.close() };
}
