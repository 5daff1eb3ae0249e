import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A token that changes whenever a transaction that wrote anything has committed (or aborted), on
 * any connection of any process: the text of PostgreSQL's current snapshot (`xmin:xmax:in-progress
 * xids`). A write gets a transaction id; when it ends, either the newest finished id (`xmax`) moves
 * or the id leaves the in-progress list, so two equal tokens mean nothing was committed between
 * them. Reads get no transaction id and leave it unchanged. It costs no table access.
 *
 * Read it BEFORE the data it guards: data read afterwards is at least that fresh, so a page stored
 * under the token can only be newer than the token says, never older.
 */
export type DataVersion = () => Promise<string>;

export function dataVersionOf(db: Kysely<Database>): DataVersion {
  return async () => {
    const { rows } = await sql<{ v: string }>`select pg_current_snapshot()::text as v`.execute(db);
    const v = rows[0]?.v;
    if (v === undefined) throw new Error('pg_current_snapshot() returned no row');
    return v;
  };
}

/**
 * One version query for a burst of requests instead of one each. A caller may only share a query
 * that started after it asked (an earlier one could predate a write it must see), so while a query
 * runs, everyone who asks waits for the single next one, started as soon as the running one ends.
 */
export function coalesced(read: DataVersion): DataVersion {
  let running: Promise<string> | null = null;
  let queued: Promise<string> | null = null;
  const start = (): Promise<string> => {
    const query = read();
    running = query;
    const done = () => {
      if (running === query) running = null;
    };
    query.then(done, done);
    return query;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}
