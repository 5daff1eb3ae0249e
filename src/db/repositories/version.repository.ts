import { sql, type Kysely, type Selectable } from 'kysely';
import { chunksOf } from '../chunks.js';
import type { Database, VersionStackTable } from '../schema.js';
import type { AssetRow } from './asset.repository.js';

export type VersionStackRow = Selectable<VersionStackTable>;

export interface ComputedStack {
  stackKey: string;
  primaryAssetId: string;
  autoPrimaryAssetId: string;
  reasons: string[];
  /** Primary first. */
  memberIds: string[];
}

export class VersionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async primaryOverrides(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('version_primary_overrides').select('asset_id').execute();
    return new Set(rows.map((r) => r.asset_id));
  }

  /**
   * Makes the library's stored stacks equal to `computed`. A stack whose member set is unchanged
   * keeps its id; one whose primary and reasons are unchanged too is not written at all, so a
   * re-analysis of an unchanged library of 100,000 photos issues a handful of statements.
   */
  async replaceStacks(libraryId: string, computed: readonly ComputedStack[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('version_stacks')
        .select(['id', 'stack_key', 'primary_asset_id', 'auto_primary_asset_id', 'reasons'])
        .where('library_id', '=', libraryId)
        .execute();
      const byKey = new Map(existing.map((s) => [s.stack_key, s]));
      const keep = new Set<string>();
      const rewrite: { id: string; stack: ComputedStack }[] = [];
      const fresh: ComputedStack[] = [];
      for (const s of computed) {
        const prior = byKey.get(s.stackKey);
        if (!prior) {
          fresh.push(s);
          continue;
        }
        keep.add(prior.id);
        const same =
          prior.primary_asset_id === s.primaryAssetId &&
          prior.auto_primary_asset_id === s.autoPrimaryAssetId &&
          prior.reasons.join() === s.reasons.join();
        if (same) continue;
        await trx
          .updateTable('version_stacks')
          .set({
            primary_asset_id: s.primaryAssetId,
            auto_primary_asset_id: s.autoPrimaryAssetId,
            reasons: JSON.stringify(s.reasons),
            updated_at: sql`now()`,
          })
          .where('id', '=', prior.id)
          .execute();
        rewrite.push({ id: prior.id, stack: s });
      }
      const stale = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
      for (const chunk of chunksOf(stale))
        await trx.deleteFrom('version_stacks').where('id', 'in', chunk).execute();
      for (const chunk of chunksOf(fresh, 6, 500)) {
        const inserted = await trx
          .insertInto('version_stacks')
          .values(
            chunk.map((s) => ({
              library_id: libraryId,
              stack_key: s.stackKey,
              primary_asset_id: s.primaryAssetId,
              auto_primary_asset_id: s.autoPrimaryAssetId,
              reasons: JSON.stringify(s.reasons),
              member_count: s.memberIds.length,
            })),
          )
          .returning(['id', 'stack_key'])
          .execute();
        const idOf = new Map(inserted.map((r) => [r.stack_key, r.id]));
        for (const s of chunk) rewrite.push({ id: idOf.get(s.stackKey) as string, stack: s });
      }
      // Members of new and changed stacks are (re)written; an asset moving between stacks cannot
      // collide because the stack it left was deleted above.
      for (const chunk of chunksOf(rewrite, 1, 500)) {
        await trx
          .deleteFrom('version_stack_members')
          .where(
            'stack_id',
            'in',
            chunk.map((r) => r.id),
          )
          .execute();
        const members = chunk.flatMap((r) =>
          r.stack.memberIds.map((assetId, rank) => ({ stack_id: r.id, asset_id: assetId, rank })),
        );
        for (const rows of chunksOf(members, 3))
          await trx.insertInto('version_stack_members').values(rows).execute();
      }
    });
  }

  list(q: {
    /** Libraries the caller may see (never empty: the service returns nothing instead). */
    libraryIds: readonly string[];
    batchId?: string;
    limit: number;
    after: string | null;
  }): Promise<VersionStackRow[]> {
    let query = this.db.selectFrom('version_stacks').selectAll();
    query = query.where('library_id', 'in', q.libraryIds);
    const batchId = q.batchId;
    if (batchId)
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('version_stack_members as m')
          .innerJoin('assets as a', 'a.id', 'm.asset_id')
          .select('m.stack_id')
          .where('a.import_batch_id', '=', batchId),
      );
    if (q.after) query = query.where('id', '>', q.after);
    return query.orderBy('id').limit(q.limit).execute();
  }

  findById(id: string): Promise<VersionStackRow | undefined> {
    return this.db.selectFrom('version_stacks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  members(stackIds: readonly string[]): Promise<(AssetRow & { stack_id: string; rank: number })[]> {
    if (stackIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('version_stack_members as m')
      .innerJoin('assets as a', 'a.id', 'm.asset_id')
      .selectAll('a')
      .select(['m.stack_id', 'm.rank'])
      .where('m.stack_id', 'in', stackIds)
      .orderBy('m.rank')
      .execute();
  }

  /** Records the user's primary: replaces any earlier choice among the stack's members. */
  async setPrimary(stackId: string, assetId: string, memberIds: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('version_primary_overrides').where('asset_id', 'in', memberIds).execute();
      await trx.insertInto('version_primary_overrides').values({ asset_id: assetId }).execute();
      await trx
        .updateTable('version_stacks')
        .set({ primary_asset_id: assetId, updated_at: sql`now()` })
        .where('id', '=', stackId)
        .execute();
    });
  }
}
