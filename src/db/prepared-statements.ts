import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Named prepared statements for the queries an app sends again and again.
 *
 * Kysely's PostgreSQL driver sends every query unnamed, so PostgreSQL parses and plans it each
 * time; for our short index walks planning costs more than running. Naming a statement makes
 * node-postgres parse it once per connection and afterwards send only Bind/Execute, and lets
 * PostgreSQL keep its plan.
 *
 * Prepared statements live on their connection until it closes, so naming is bounded: a text is
 * named only the second time it is seen (one-off texts, such as a batch insert with an unusual row
 * count, stay unnamed), and at most MAX_NAMED texts are ever named, so a connection never holds
 * more than that many statements. Texts seen once are forgotten in bulk when MAX_SEEN of them have
 * piled up. Only single statements that can be prepared are named (SELECT, INSERT, UPDATE, DELETE
 * and WITH): never DDL, transaction control, SET, LISTEN/NOTIFY or multi-statement texts.
 *
 * plan_cache_mode stays `auto`, measured with EXPLAIN EXECUTE on 100,000 assets: the timeline
 * page's generic plan is a parallel sequential scan and sort (30 ms against 0.04 ms), so PostgreSQL
 * keeps planning it per execution on its index, while the duplicates list's generic plan walks the
 * same sort index as its custom plans and saves their 0.12 ms of planning. Forcing either mode
 * would be worse for one of the two.
 */

/** Distinct texts ever named: the app's hot queries number in the tens; a backend holds ≤ this many. */
export const MAX_NAMED = 200;
/** Texts seen once, kept to recognise their second sighting. */
const MAX_SEEN = 2000;

/** SQLSTATE 0A000 with this message: a table a named statement reads changed its columns. */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

/** SQLSTATE 25P02: a statement sent inside a transaction an earlier error aborted. */
const IN_FAILED_TRANSACTION = '25P02';

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** Whether `text` is one statement PostgreSQL can prepare (a `;` anywhere rules it out, to be safe). */
export function isPreparable(text: string): boolean {
  return PREPARABLE.test(text) && !text.includes(';');
}

/** The process-wide names of repeated texts, shared by every connection of a pool. */
export class StatementNames {
  private readonly named = new Map<string, string>();
  private seen = new Set<string>();

  /** The name to send `text` under, or undefined to send it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.named.get(text);
    if (name !== undefined || this.named.size >= MAX_NAMED) return name;
    if (!this.seen.has(text)) {
      if (this.seen.size >= MAX_SEEN) this.seen = new Set();
      this.seen.add(text);
      return undefined;
    }
    this.seen.delete(text);
    if (!isPreparable(text)) return undefined;
    const fresh = `photosync_${this.named.size + 1}`;
    this.named.set(text, fresh);
    return fresh;
  }

  get size(): number {
    return this.named.size;
  }
}

/** A pooled connection for Kysely that sends repeated texts as named statements. */
class PreparingClient implements PostgresPoolClient {
  /** Names this connection must no longer use (their table changed shape under them). */
  private readonly retired = new Set<string>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly names: StatementNames,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string')
      throw new Error(
        'Streaming queries need a cursor class in the PostgresDialect config, which photo-sync does not set.',
      );
    return this.run<R>(sqlOrCursor, parameters ? [...parameters] : []);
  }

  release(): void {
    this.client.release();
  }

  private async run<R>(text: string, values: unknown[]): Promise<PostgresQueryResult<R>> {
    const name = this.names.nameFor(text);
    if (name === undefined || this.retired.has(name)) return this.send<R>({ text, values });
    try {
      return await this.send<R>({ name, text, values });
    } catch (err) {
      // A migration by another process changed the columns a `select *` statement returns: its
      // saved result shape no longer holds on this connection. Send the text unnamed from now on
      // (inside a transaction the error has aborted it and the retry fails too: report the cause).
      if (sqlState(err) !== '0A000' || !(err as Error).message.includes(RESULT_TYPE_CHANGED)) throw err;
      this.retired.add(name);
      try {
        return await this.send<R>({ text, values });
      } catch (retryErr) {
        throw sqlState(retryErr) === IN_FAILED_TRANSACTION ? err : retryErr;
      }
    }
  }

  private async send<R>(config: pg.QueryConfig): Promise<PostgresQueryResult<R>> {
    const { command, rowCount, rows } = await this.client.query(config);
    return {
      command: command as PostgresQueryResult<R>['command'],
      rowCount: rowCount ?? 0,
      rows: rows as R[],
    };
  }
}

function sqlState(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/**
 * Kysely's pool interface over a node-postgres pool, handing out connections that name repeated
 * statements. One wrapper per pooled connection, so Kysely keeps recognising the connection.
 */
export class PreparingPool implements PostgresPool {
  private readonly clients = new WeakMap<pg.PoolClient, PreparingClient>();

  constructor(
    private readonly pool: pg.Pool,
    readonly names: StatementNames = new StatementNames(),
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let wrapped = this.clients.get(client);
    if (!wrapped) {
      wrapped = new PreparingClient(client, this.names);
      this.clients.set(client, wrapped);
    }
    return wrapped;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
