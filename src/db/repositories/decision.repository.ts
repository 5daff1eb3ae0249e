import type { Kysely, Selectable } from 'kysely';
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
 * The triage decision log: what the user (or "accept all") decided to keep and remove. Status
 * 'recorded' until the action job (trash, or move list for read-only libraries) sets 'applied'.
 */
export class DecisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records each decision unless one is already recorded (not yet applied) for the same subject. */
  async record(list: readonly NewDecision[]): Promise<number> {
    if (list.length === 0) return 0;
    let recorded = 0;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < list.length; i += 500) {
        const chunk = list.slice(i, i + 500);
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

  /** Decisions by status (and kind, library), oldest first, keyset on id within equal times. */
  list(q: {
    status: 'recorded' | 'applied';
    kind?: DecisionKind;
    libraryId?: string;
    limit: number;
    after: { value: number; id: string } | null;
  }): Promise<DecisionRow[]> {
    let query = this.db.selectFrom('decisions').selectAll().where('status', '=', q.status);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.libraryId) query = query.where('library_id', '=', q.libraryId);
    const after = q.after;
    if (after) {
      const at = new Date(after.value);
      query = query.where((eb) =>
        eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', after.id)])]),
      );
    }
    return query.orderBy('created_at').orderBy('id').limit(q.limit).execute();
  }

  /** Recorded decisions not yet applied, oldest first (what the action job works through). */
  pending(limit: number): Promise<DecisionRow[]> {
    return this.db
      .selectFrom('decisions')
      .selectAll()
      .where('status', '=', 'recorded')
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Asset ids some recorded decision already removes (so they are not counted twice in triage). */
  async removedAssetIds(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('decisions').select('remove_asset_ids').execute();
    return new Set(rows.flatMap((r) => r.remove_asset_ids));
  }

  forSubject(kind: DecisionKind, subjectId: string): Promise<DecisionRow[]> {
    return this.db
      .selectFrom('decisions')
      .selectAll()
      .where('kind', '=', kind)
      .where('subject_id', '=', subjectId)
      .orderBy('created_at')
      .execute();
  }
}
