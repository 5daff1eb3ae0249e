import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, DuplicateKind } from '../schema.js';
import type { DuplicateGroupRow } from './duplicate.repository.js';

export interface TriageScope {
  /** Libraries the caller may see, or the one asked for (never empty: see scope-of-caller.ts). */
  libraryIds: readonly string[];
  batchId?: string;
}

export interface CategoryFigures {
  itemCount: number;
  bytesSaved: number;
  /** For duplicates: every open group in scope is green. */
  allGreen: boolean;
}

/** Aggregates and item lists of the triage categories, limited to a library and/or import batch. */
export class TriageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private openGroups(kind: DuplicateKind, scope: TriageScope) {
    let q = this.db
      .selectFrom('duplicate_groups as g')
      .where('g.kind', '=', kind)
      .where('g.status', '=', 'open');
    // A group is in scope when every member is (a group never leaks a file of a hidden library).
    q = q.where('g.id', 'not in', (eb) =>
      eb
        .selectFrom('duplicate_group_members as m')
        .innerJoin('assets as a', 'a.id', 'm.asset_id')
        .select('m.group_id')
        .where('a.library_id', 'not in', scope.libraryIds),
    );
    const { batchId } = scope;
    if (batchId)
      q = q.where('g.id', 'in', (eb) =>
        eb
          .selectFrom('duplicate_group_members as m')
          .innerJoin('assets as a', 'a.id', 'm.asset_id')
          .select('m.group_id')
          .where('a.import_batch_id', '=', batchId),
      );
    return q;
  }

  async duplicateFigures(kind: DuplicateKind, scope: TriageScope): Promise<CategoryFigures> {
    const r = await this.openGroups(kind, scope)
      .select([
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`coalesce(sum(g.bytes_reclaimable), 0)`.as('bytes'),
        sql<string>`count(*) filter (where g.confidence <> 'green')`.as('not_green'),
      ])
      .executeTakeFirstOrThrow();
    return { itemCount: Number(r.n), bytesSaved: Number(r.bytes), allGreen: Number(r.not_green) === 0 };
  }

  duplicateGroups(
    kind: DuplicateKind,
    scope: TriageScope,
    limit: number,
    after: string | null,
  ): Promise<DuplicateGroupRow[]> {
    let q = this.openGroups(kind, scope).selectAll('g');
    if (after) q = q.where('g.id', '>', after);
    return q.orderBy('g.id').limit(limit).execute();
  }

  /** Flagged assets in scope that no recorded decision covers yet. */
  private undecidedFlagged(scope: TriageScope) {
    let q = this.db
      .selectFrom('assets')
      .where('status', '=', 'ready')
      .where(sql<boolean>`jsonb_array_length(quality_labels) > 0`)
      .where('id', 'not in', (eb) =>
        eb.selectFrom('decisions').select('subject_id').where('kind', '=', 'quality'),
      );
    q = q.where('library_id', 'in', scope.libraryIds);
    if (scope.batchId) q = q.where('import_batch_id', '=', scope.batchId);
    return q;
  }

  async qualityFigures(scope: TriageScope): Promise<CategoryFigures> {
    const r = await this.undecidedFlagged(scope)
      .select([
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`coalesce(sum(size_bytes), 0)`.as('bytes'),
      ])
      .executeTakeFirstOrThrow();
    return { itemCount: Number(r.n), bytesSaved: Number(r.bytes), allGreen: false };
  }

  async flaggedAssetIds(scope: TriageScope, limit: number, after: string | null): Promise<string[]> {
    let q = this.undecidedFlagged(scope).select('id');
    if (after) q = q.where('id', '>', after);
    return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
  }

  /**
   * Count (and byte sum) of rows of a member-linked table in scope. The table names are fixed by
   * the three callers below, never user input.
   */
  private async linkedFigures(
    table: 'bursts' | 'version_stacks' | 'suggestions',
    link: 'burst_frames' | 'version_stack_members' | 'suggestion_assets',
    column: 'burst_id' | 'stack_id' | 'suggestion_id',
    scope: TriageScope,
    extra: { openOnly: boolean; bytes: boolean; where?: RawBuilder<unknown> },
  ): Promise<{ n: number; bytes: number }> {
    const conditions = [sql`true`];
    conditions.push(sql`t.library_id in (${sql.join(scope.libraryIds)})`);
    if (scope.batchId)
      conditions.push(
        sql`t.id in (select l.${sql.ref(column)} from ${sql.table(link)} l join assets a on a.id = l.asset_id where a.import_batch_id = ${scope.batchId})`,
      );
    if (extra.openOnly) conditions.push(sql`t.status = 'open'`);
    if (extra.where) conditions.push(extra.where);
    const bytes = extra.bytes ? sql`coalesce(sum(t.bytes_reclaimable), 0)` : sql`0`;
    const r = await sql<{
      n: string;
      bytes: string;
    }>`select count(*) as n, ${bytes} as bytes from ${sql.table(table)} t where ${sql.join(conditions, sql` and `)}`.execute(
      this.db,
    );
    const row = r.rows[0];
    return { n: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  async burstFigures(scope: TriageScope): Promise<CategoryFigures> {
    const r = await this.linkedFigures('bursts', 'burst_frames', 'burst_id', scope, {
      openOnly: true,
      bytes: true,
    });
    return { itemCount: r.n, bytesSaved: r.bytes, allGreen: false };
  }

  async versionFigures(scope: TriageScope): Promise<CategoryFigures> {
    const r = await this.linkedFigures('version_stacks', 'version_stack_members', 'stack_id', scope, {
      openOnly: false,
      bytes: false,
    });
    return { itemCount: r.n, bytesSaved: 0, allGreen: true };
  }

  /** Suggestions `viewerId` has not yet made an album of (accepting is each user's own). */
  async suggestionFigures(scope: TriageScope, viewerId: string): Promise<CategoryFigures> {
    const r = await this.linkedFigures('suggestions', 'suggestion_assets', 'suggestion_id', scope, {
      openOnly: false,
      bytes: false,
      where: sql`not exists (select 1 from albums al where al.suggestion_key = t.suggestion_key and al.owner_id = ${viewerId})`,
    });
    return { itemCount: r.n, bytesSaved: 0, allGreen: false };
  }
}
