import type { Kysely, Selectable } from 'kysely';
import { chunksOf } from '../chunks.js';
import type { Database, DecisionKind, DecisionTable } from '../schema.js';

export type DecisionRow = Selectable<DecisionTable>;

export interface NewDecision {
  libraryId: string | null;
  kind: DecisionKind;
  subjectId: string;
  keepAssetIds: readonly string[];
  removeAssetIds: readonly string[];
}

/**
 * The log of burst and low-quality decisions (what the user, or "accept all", decided to keep and
 * remove). Removing files is the action job's: each decision also queued its removals there.
 */
export class DecisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records each decision unless one is already recorded (not yet applied) for the same subject. */
  async record(list: readonly NewDecision[]): Promise<number> {
    if (list.length === 0) return 0;
    let recorded = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunksOf(list, 5, 500)) {
        const already = await trx
          .selectFrom('decisions')
          .select(['kind', 'subject_id'])
          .where('status', '=', 'recorded')
          .where(
            'subject_id',
            'in',
            chunk.map((d) => d.subjectId),
          )
          .execute();
        const seen = new Set(already.map((d) => `${d.kind}:${d.subject_id}`));
        const fresh = chunk.filter((d) => !seen.has(`${d.kind}:${d.subjectId}`));
        if (fresh.length === 0) continue;
        await trx
          .insertInto('decisions')
          .values(
            fresh.map((d) => ({
              library_id: d.libraryId,
              kind: d.kind,
              subject_id: d.subjectId,
              keep_asset_ids: JSON.stringify(d.keepAssetIds),
              remove_asset_ids: JSON.stringify(d.removeAssetIds),
            })),
          )
          .execute();
        recorded += fresh.length;
      }
    });
    return recorded;
  }
}
