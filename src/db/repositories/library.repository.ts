import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, LibraryTable, ShareRole } from '../schema.js';

export type LibraryRow = Selectable<LibraryTable>;

/** How long one statement of a library deletion should hold the database (see deleteInBatches). */
export const DELETE_BATCH_TARGET_MS = 80;
const MAX_DELETE_BATCH = 5000;

/** A library as one user may use it: `role` is 'owner' or the role of their share. */
export interface LibraryAccessRow {
  id: string;
  role: 'owner' | ShareRole;
}

export interface LibraryShareRow {
  user_id: string;
  email: string;
  name: string;
  role: ShareRole;
  created_at: Date;
}

export class LibraryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every library, except those being deleted (hidden from the moment their deletion begins). */
  list(): Promise<LibraryRow[]> {
    return this.db
      .selectFrom('libraries')
      .selectAll()
      .where('deleting_at', 'is', null)
      .orderBy('created_at')
      .execute();
  }

  /** The library, unless it does not exist or is being deleted. */
  findById(id: string): Promise<LibraryRow | undefined> {
    return this.db
      .selectFrom('libraries')
      .selectAll()
      .where('id', '=', id)
      .where('deleting_at', 'is', null)
      .executeTakeFirst();
  }

  /** Libraries whose deletion began and has not finished (a restart resumes them). */
  async listDeleting(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('libraries')
      .select('id')
      .where('deleting_at', 'is not', null)
      .orderBy('deleting_at')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Hides the library from every list, count and search at once (they all scope by the libraries a
   * caller can see); its rows go later, in batches. False when it was already going.
   */
  async markDeleting(id: string): Promise<boolean> {
    const res = await this.db
      .updateTable('libraries')
      .set({ deleting_at: sql`now()` })
      .where('id', '=', id)
      .where('deleting_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async setTrashRetention(id: string, days: number | null): Promise<void> {
    await this.db.updateTable('libraries').set({ trash_retention_days: days }).where('id', '=', id).execute();
  }

  create(input: {
    name: string;
    roots: string[];
    readOnly?: boolean;
    ownerId?: string | null;
  }): Promise<LibraryRow> {
    return this.db
      .insertInto('libraries')
      .values({
        name: input.name,
        roots: JSON.stringify(input.roots),
        read_only: input.readOnly ?? false,
        owner_id: input.ownerId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('libraries').where('id', '=', id).execute();
  }

  /**
   * Deletes the library's assets a batch at a time (their cascades with them), then the library:
   * each statement takes a moment, and the event loop and the database serve others between them.
   * The batch grows or shrinks to keep each statement near DELETE_BATCH_TARGET_MS. MAX_DELETE_BATCH
   * bound parameters per statement at most, whatever the library's size. Returns the assets deleted,
   * and whether it finished (false when `signal` stopped it; running it again continues).
   */
  async deleteInBatches(
    id: string,
    opts: { signal?: AbortSignal; onBatch?: (deleted: number) => Promise<void> } = {},
  ): Promise<{ deleted: number; finished: boolean }> {
    let batch = 200;
    let total = 0;
    let after: string | null = null;
    for (;;) {
      const started = performance.now();
      // Keyset over the (library, path) unique index: no sort, and each batch starts after the
      // last, never re-walking the rows (dead until a vacuum) that earlier batches deleted.
      let page = this.db
        .selectFrom('assets')
        .select(['id', 'path'])
        .where('library_id', '=', id)
        .orderBy('library_id')
        .orderBy('path')
        .limit(batch);
      if (after !== null) page = page.where('path', '>', after);
      const rows = await page.execute();
      if (rows.length === 0) break;
      // At most MAX_DELETE_BATCH bound parameters: well within every driver's limit.
      await this.db
        .deleteFrom('assets')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      total += rows.length;
      after = (rows[rows.length - 1] as { path: string }).path;
      const ms = performance.now() - started;
      if (ms < DELETE_BATCH_TARGET_MS / 2) batch = Math.min(batch * 2, MAX_DELETE_BATCH);
      else if (ms > DELETE_BATCH_TARGET_MS * 2) batch = Math.max(Math.floor(batch / 2), 20);
      await opts.onBatch?.(total);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) return { deleted: total, finished: false };
    }
    await this.delete(id);
    return { deleted: total, finished: true };
  }

  async markScanned(id: string, at: Date): Promise<void> {
    await this.db.updateTable('libraries').set({ last_scan_at: at }).where('id', '=', id).execute();
  }

  /** Every library the user owns or has a share of, with their role in it. */
  async accessibleBy(userId: string): Promise<LibraryAccessRow[]> {
    const rows = await this.db
      .selectFrom('libraries as l')
      .leftJoin('library_shares as s', (j) =>
        j.onRef('s.library_id', '=', 'l.id').on('s.user_id', '=', userId),
      )
      .select(['l.id', 'l.owner_id', 's.role'])
      .where((eb) => eb.or([eb('l.owner_id', '=', userId), eb('s.user_id', '=', userId)]))
      .where('l.deleting_at', 'is', null)
      .execute();
    return rows.map((r) => ({ id: r.id, role: r.owner_id === userId ? 'owner' : (r.role as ShareRole) }));
  }

  listShares(libraryId: string): Promise<LibraryShareRow[]> {
    return this.db
      .selectFrom('library_shares as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.user_id', 'u.email', 'u.name', 's.role', 's.created_at'])
      .where('s.library_id', '=', libraryId)
      .orderBy('s.created_at')
      .execute();
  }

  async upsertShare(libraryId: string, userId: string, role: ShareRole): Promise<void> {
    await this.db
      .insertInto('library_shares')
      .values({ library_id: libraryId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['library_id', 'user_id']).doUpdateSet({ role, created_at: sql`now()` }))
      .execute();
  }

  async deleteShare(libraryId: string, userId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('library_shares')
      .where('library_id', '=', libraryId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
