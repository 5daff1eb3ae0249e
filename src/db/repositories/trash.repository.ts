import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, TrashItemTable } from '../schema.js';

export type TrashItemRow = Selectable<TrashItemTable>;

export class TrashRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The trash entry of an action item, created before its file moves (so a crash can finish the move). */
  async ensureForItem(input: {
    actionItemId: string;
    libraryId: string;
    assetId: string;
    originalPath: string;
    trashPath: string;
    sizeBytes: number;
    trashedBy: string | null;
  }): Promise<TrashItemRow> {
    const existing = await this.db
      .selectFrom('trash_items')
      .selectAll()
      .where('action_item_id', '=', input.actionItemId)
      .executeTakeFirst();
    if (existing) return existing;
    return this.db
      .insertInto('trash_items')
      .values({
        action_item_id: input.actionItemId,
        library_id: input.libraryId,
        asset_id: input.assetId,
        original_path: input.originalPath,
        trash_path: input.trashPath,
        size_bytes: input.sizeBytes,
        trashed_by: input.trashedBy,
        merge: '{}',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findById(id: string): Promise<TrashItemRow | undefined> {
    return this.db.selectFrom('trash_items').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Items still in the trash of these libraries, newest first, keyset-paginated on (trashed_at, id). */
  listPage(q: {
    libraryIds: readonly string[];
    limit: number;
    after: { at: Date; id: string } | null;
  }): Promise<TrashItemRow[]> {
    let query = this.db
      .selectFrom('trash_items')
      .selectAll()
      .where('library_id', 'in', q.libraryIds)
      .where('restored_at', 'is', null)
      .where('purged_at', 'is', null);
    const after = q.after;
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('trashed_at', '<', after.at),
          eb.and([eb('trashed_at', '=', after.at), eb('id', '<', after.id)]),
        ]),
      );
    return query.orderBy('trashed_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }

  /** Claims the item for a restore; false when it was restored or purged meanwhile (one restore wins). */
  async claimRestore(id: string, restoredPath: string): Promise<boolean> {
    const res = await this.db
      .updateTable('trash_items')
      .set({ restored_at: sql`now()`, restored_path: restoredPath })
      .where('id', '=', id)
      .where('restored_at', 'is', null)
      .where('purged_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async claimRestoreAt(id: string, restoredPath: string): Promise<void> {
    await this.db
      .updateTable('trash_items')
      .set({ restored_path: restoredPath })
      .where('id', '=', id)
      .execute();
  }

  async unclaimRestore(id: string): Promise<void> {
    await this.db
      .updateTable('trash_items')
      .set({ restored_at: null, restored_path: null })
      .where('id', '=', id)
      .execute();
  }

  /** The named libraries that exist, with their names (for an explicit purge's record). */
  librariesByIds(ids: readonly string[]): Promise<{ id: string; name: string }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('libraries').select(['id', 'name']).where('id', 'in', ids).execute();
  }

  /**
   * Trash items at least `minDays` old and, unless `retentionDays` is null (an explicit "purge
   * now"), past their library's own retention (`trash_retention_days`, else `retentionDays`).
   */
  dueForPurge(q: {
    minDays: number;
    retentionDays: number | null;
    libraryIds: readonly string[] | null;
  }): Promise<TrashItemRow[]> {
    const days =
      q.retentionDays === null
        ? sql<number>`${q.minDays}::int`
        : sql<number>`greatest(${q.minDays}::int, coalesce(l.trash_retention_days, ${q.retentionDays}::int))`;
    let query = this.db
      .selectFrom('trash_items as t')
      .innerJoin('libraries as l', 'l.id', 't.library_id')
      .selectAll('t')
      .where(sql<boolean>`t.trashed_at < now() - make_interval(days => ${days})`)
      .where('t.restored_at', 'is', null)
      .where('t.purged_at', 'is', null);
    if (q.libraryIds)
      query = query.where(
        't.library_id',
        'in',
        q.libraryIds.length > 0 ? q.libraryIds : ['00000000-0000-0000-0000-000000000000'],
      );
    return query.orderBy('t.trashed_at').execute();
  }

  /**
   * After the file is gone the trashed asset row goes, and with it (cascade) its trash entry and
   * action items; the audit log keeps the history.
   */
  async forgetPurged(item: TrashItemRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('assets')
        .where('id', '=', item.asset_id)
        .where('status', '=', 'trashed')
        .execute();
      await trx.deleteFrom('trash_items').where('id', '=', item.id).execute();
    });
  }
}
