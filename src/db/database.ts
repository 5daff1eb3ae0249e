import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { DatabaseUnavailableError } from './database-errors.js';
import { PreparingPool } from './prepared-statements.js';
import type { Database } from './schema.js';

export { DatabaseUnavailableError };

export type DatabaseBackend = 'pglite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly backend: DatabaseBackend;
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;

/** The URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

async function openPostgres(url: string, preparedStatements: boolean): Promise<DatabaseHandle> {
  const location = redactDatabaseUrl(url);
  // bigint columns hold file sizes and counts, all far below 2^53: read them as numbers.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  // JIT off: our queries are short index walks whose planner estimates (correlated subplans) can
  // cross jit_above_cost, and compiling then costs ~10 ms for a query that runs in 1 ms.
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    max: 10,
    types,
    options: '-c jit=off',
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Repeated queries as named prepared statements: planning a short index walk costs PostgreSQL
  // more than running it (see prepared-statements.ts).
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: preparedStatements ? new PreparingPool(pool) : pool }),
  });
  const ping = async () => {
    await sql`select 1`.execute(db);
  };
  try {
    await ping();
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw new DatabaseUnavailableError(location, err);
  }
  return { db, backend: 'postgres', location, ping, close: () => db.destroy() };
}

async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  let location = 'memory://';
  if (dataDir) {
    location = path.join(dataDir, 'db');
    await fs.mkdir(location, { recursive: true });
  }
  const client = await PGlite.create(dataDir ? location : undefined, {
    parsers: { [INT8_OID]: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  const ping = async () => {
    await sql`select 1`.execute(db);
  };
  return { db, backend: 'pglite', location, ping, close: () => db.destroy() };
}

/**
 * PostgreSQL when a URL is given, otherwise the embedded PGlite in `<dataDir>/db`
 * (`dataDir: null` keeps it in memory — for tests).
 */
export function openDatabase(opts: {
  databaseUrl: string | null;
  dataDir: string | null;
  /** Named prepared statements on PostgreSQL (default on; see prepared-statements.ts). */
  preparedStatements?: boolean;
}): Promise<DatabaseHandle> {
  return opts.databaseUrl
    ? openPostgres(opts.databaseUrl, opts.preparedStatements ?? true)
    : openPglite(opts.dataDir);
}
