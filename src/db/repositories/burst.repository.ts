import { sql, type Kysely, type Selectable } from 'kysely';
import { chunksOf } from '../chunks.js';
import type { BurstTable, Database } from '../schema.js';
import type { AssetRow } from './asset.repository.js';

export type BurstRow = Selectable<BurstTable>;

export interface ComputedBurst {
  burstKey: string;
  cameraBurstId: string | null;
  recommendedAssetId: string;
  bytesReclaimable: number;
  firstAt: Date;
  frames: { assetId: string; score: number }[];
}

export interface ScopeQuery {
  /** Libraries the caller may see (never empty: the service returns nothing instead). */
  libraryIds: readonly string[];
  batchId?: string;
}

export class BurstRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Makes the library's bursts equal to `computed`; an unchanged frame set keeps its id and
   * decision, and is not written at all when its recommendation is unchanged too.
   */
  async replaceBursts(libraryId: string, computed: readonly ComputedBurst[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('bursts')
        .select(['id', 'burst_key', 'recommended_asset_id', 'bytes_reclaimable'])
        .where('library_id', '=', libraryId)
        .execute();
      const prior = new Map(existing.map((b) => [b.burst_key, b]));
      const byKey = new Map(existing.map((b) => [b.burst_key, b.id]));
      const keep = new Set<string>();
      for (const b of computed) {
        const was = prior.get(b.burstKey);
        if (
          was &&
          was.recommended_asset_id === b.recommendedAssetId &&
          was.bytes_reclaimable === b.bytesReclaimable
        ) {
          keep.add(was.id);
          continue;
        }
        const values = {
          library_id: libraryId,
          burst_key: b.burstKey,
          camera_burst_id: b.cameraBurstId,
          recommended_asset_id: b.recommendedAssetId,
          frame_count: b.frames.length,
          bytes_reclaimable: b.bytesReclaimable,
          first_at: b.firstAt,
        };
        let id = byKey.get(b.burstKey);
        if (id) {
          await trx.updateTable('bursts').set(values).where('id', '=', id).execute();
          await trx.deleteFrom('burst_frames').where('burst_id', '=', id).execute();
        } else {
          id = (await trx.insertInto('bursts').values(values).returning('id').executeTakeFirstOrThrow()).id;
        }
        keep.add(id);
        const burstId = id;
        const frames = b.frames.map((f, position) => ({
          burst_id: burstId,
          asset_id: f.assetId,
          position,
          score: f.score,
        }));
        for (const chunk of chunksOf(frames, 4)) await trx.insertInto('burst_frames').values(chunk).execute();
      }
      const stale = existing.filter((b) => !keep.has(b.id)).map((b) => b.id);
      for (const chunk of chunksOf(stale)) await trx.deleteFrom('bursts').where('id', 'in', chunk).execute();
    });
  }

  list(
    q: ScopeQuery & {
      status?: 'open' | 'decided';
      limit: number;
      after: { value: number; id: string } | null;
    },
  ) {
    let query = this.db.selectFrom('bursts').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    query = query.where('library_id', 'in', q.libraryIds);
    const batchId = q.batchId;
    if (batchId)
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('burst_frames as f')
          .innerJoin('assets as a', 'a.id', 'f.asset_id')
          .select('f.burst_id')
          .where('a.import_batch_id', '=', batchId),
      );
    const after = q.after;
    if (after) {
      const at = new Date(after.value);
      query = query.where((eb) =>
        eb.or([eb('first_at', '<', at), eb.and([eb('first_at', '=', at), eb('id', '<', after.id)])]),
      );
    }
    return query.orderBy('first_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }

  findById(id: string): Promise<BurstRow | undefined> {
    return this.db.selectFrom('bursts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  frames(
    burstIds: readonly string[],
  ): Promise<(AssetRow & { burst_id: string; position: number; score: number })[]> {
    if (burstIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('burst_frames as f')
      .innerJoin('assets as a', 'a.id', 'f.asset_id')
      .selectAll('a')
      .select(['f.burst_id', 'f.position', 'f.score'])
      .where('f.burst_id', 'in', burstIds)
      .orderBy('f.position')
      .execute();
  }

  async markDecided(id: string): Promise<void> {
    await this.db
      .updateTable('bursts')
      .set({ status: 'decided', decided_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }
}
