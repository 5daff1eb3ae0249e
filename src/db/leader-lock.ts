import pg from 'pg';

/** Whether this process is the one that acts (the scheduler runs on many machines, acts on one). */
export interface LeaderLock {
  /** True while (or once) this process holds the lock; false when another one does. */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** The embedded all-in-one process is alone by construction. */
export const soleProcessLock: LeaderLock = {
  tryAcquire: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};

/**
 * A PostgreSQL session advisory lock on a connection of its own: held as long as that connection
 * lives, so a scheduler that dies (even kill -9) frees it and a standby takes over at its next try.
 */
export class PostgresLeaderLock implements LeaderLock {
  private client: pg.Client | null = null;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  async tryAcquire(): Promise<boolean> {
    if (this.held && this.client) return true;
    try {
      if (!this.client) {
        const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
        client.on('error', () => {
          // The connection is gone and the lock with it.
          this.held = false;
          this.client = null;
        });
        await client.connect();
        this.client = client;
      }
      const res = await this.client.query<{ ok: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as ok',
        [this.key],
      );
      this.held = res.rows[0]?.ok === true;
    } catch {
      this.held = false;
      await this.client?.end().catch(() => undefined);
      this.client = null;
    }
    return this.held;
  }

  async release(): Promise<void> {
    this.held = false;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
