import type { Kysely, Selectable } from 'kysely';
import type { Database, ImportBatchTable } from '../schema.js';

export type ImportBatchRow = Selectable<ImportBatchTable>;

export class ImportBatchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Files of the library that no batch holds yet (new since the last scan) become one batch.
   * Returns it, or null when the scan added nothing. One transaction: a crash leaves no half batch.
   */
  closeBatch(libraryId: string, jobId: string | null): Promise<ImportBatchRow | null> {
    return this.db.transaction().execute(async (trx) => {
      const fresh = await trx
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('library_id', '=', libraryId)
        .where('import_batch_id', 'is', null)
        .where('status', 'in', ['ready', 'failed'])
        .executeTakeFirstOrThrow();
      const count = Number(fresh.n);
      if (count === 0) return null;
      const batch = await trx
        .insertInto('import_batches')
        .values({ library_id: libraryId, job_id: jobId, asset_count: count })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('assets')
        .set({ import_batch_id: batch.id })
        .where('library_id', '=', libraryId)
        .where('import_batch_id', 'is', null)
        .where('status', 'in', ['ready', 'failed'])
        .execute();
      return batch;
    });
  }

  list(libraryId: string | undefined, limit: number, before: { at: Date; id: string } | null) {
    let q = this.db.selectFrom('import_batches').selectAll();
    if (libraryId) q = q.where('library_id', '=', libraryId);
    if (before)
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', before.at),
          eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)]),
        ]),
      );
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  findById(id: string): Promise<ImportBatchRow | undefined> {
    return this.db.selectFrom('import_batches').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
