import { sql } from 'kysely';
import type { DatabaseHandle } from './database.js';

/**
 * Runs `fn` while holding a PostgreSQL advisory lock named `key`: processes on other machines
 * wait for it. The lock lives in a transaction kept open on its own connection (released even if
 * this process dies); `fn` uses the pool's other connections. The embedded PGlite serves one
 * process only, which needs no lock.
 */
export async function withAdvisoryLock<T>(
  database: DatabaseHandle,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (database.backend !== 'postgres') return fn();
  return database.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
    return fn();
  });
}
