import { sql, type Kysely, type Selectable } from 'kysely';
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

  /** Makes the library's stored stacks equal to `computed`; an unchanged member set keeps its id. */
  async replaceStacks(libraryId: string, computed: readonly ComputedStack[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('version_stacks')
        .select(['id', 'stack_key'])
        .where('library_id', '=', libraryId)
        .execute();
      const byKey = new Map(existing.map((s) => [s.stack_key, s.id]));
      const keep = new Set<string>();
      for (const s of computed) {
        const values = {
          library_id: libraryId,
          stack_key: s.stackKey,
          primary_asset_id: s.primaryAssetId,
          auto_primary_asset_id: s.autoPrimaryAssetId,
          reasons: JSON.stringify(s.reasons),
          member_count: s.memberIds.length,
        };
        let id = byKey.get(s.stackKey);
        if (id) {
          await trx
            .updateTable('version_stacks')
            .set({ ...values, updated_at: sql`now()` })
            .where('id', '=', id)
            .execute();
        } else {
          id = (
            await trx.insertInto('version_stacks').values(values).returning('id').executeTakeFirstOrThrow()
          ).id;
        }
        keep.add(id);
      }
      const stale = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
      if (stale.length > 0) await trx.deleteFrom('version_stacks').where('id', 'in', stale).execute();
      // Members are rewritten whole: cheap, and an asset moving between stacks cannot collide.
      const ids = [...keep];
      if (ids.length > 0)
        await trx.deleteFrom('version_stack_members').where('stack_id', 'in', ids).execute();
      const rows = computed.flatMap((s) => {
        const stackId = byKey.get(s.stackKey) ?? null;
        return s.memberIds.map((assetId, rank) => ({ stackKey: s.stackKey, stackId, assetId, rank }));
      });
      const idOfKey = new Map(
        (
          await trx
            .selectFrom('version_stacks')
            .select(['id', 'stack_key'])
            .where('library_id', '=', libraryId)
            .execute()
        ).map((s) => [s.stack_key, s.id]),
      );
      for (let i = 0; i < rows.length; i += 1000)
        await trx
          .insertInto('version_stack_members')
          .values(
            rows.slice(i, i + 1000).map((r) => ({
              stack_id: idOfKey.get(r.stackKey) as string,
              asset_id: r.assetId,
              rank: r.rank,
            })),
          )
          .execute();
    });
  }

  list(q: {
    libraryId?: string;
    batchId?: string;
    limit: number;
    after: string | null;
  }): Promise<VersionStackRow[]> {
    let query = this.db.selectFrom('version_stacks').selectAll();
    if (q.libraryId) query = query.where('library_id', '=', q.libraryId);
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
