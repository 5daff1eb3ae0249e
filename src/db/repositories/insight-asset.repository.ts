import type { QualityFlag } from '../../domain/insights/quality-scoring.js';
import { sql, type Kysely } from 'kysely';
import { chunksOf, queryInChunks } from '../chunks.js';
import type { Database } from '../schema.js';
import type { AssetRow } from './asset.repository.js';

const insightColumns = [
  'id',
  'path',
  'kind',
  'size_bytes',
  'sha256',
  'sort_at',
  'capture_local',
  'make',
  'model',
  'body_serial',
  'burst_id',
  'sequence_number',
  'content_identifier',
  'gps_latitude',
  'gps_longitude',
  'width',
  'height',
  'phash',
  'quality',
  'problem_code',
  'quality_score',
  'quality_labels',
  'quality_flags',
] as const;

/** What the insight analyses read of an asset, and whether it is in an album. */
export type InsightAssetRow = Pick<AssetRow, (typeof insightColumns)[number]> & { in_album: boolean };

export interface QualityPageQuery {
  /** Libraries the caller may see (never empty). */
  libraryIds: readonly string[];
  batchId?: string;
  maxScore?: number;
  label?: string;
  limit: number;
  after: { value: number; id: string } | null;
}

export interface QualityWrite {
  id: string;
  score: number | null;
  labels: string[];
  flags: QualityFlag[];
}

/** The asset columns the insight analyses read and write (quality score and labels). */
export class InsightAssetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Every asset of the library the analyses consider: ready (corrupted pictures included). Only the
   * columns they read — not the signature blobs — so 100,000 rows stay a few tens of MB.
   */
  readyAssets(libraryId: string): Promise<InsightAssetRow[]> {
    return this.db
      .selectFrom('assets')
      .select(insightColumns)
      .select(
        sql<boolean>`exists (select 1 from album_assets aa where aa.asset_id = assets.id)`.as('in_album'),
      )
      .where('library_id', '=', libraryId)
      .where('status', '=', 'ready')
      .where('kind', '!=', 'xmp')
      .orderBy('path')
      .execute();
  }

  byIds(ids: readonly string[]): Promise<AssetRow[]> {
    return queryInChunks(ids, (chunk) =>
      this.db.selectFrom('assets').selectAll().where('id', 'in', chunk).execute(),
    );
  }

  /** Writes only what changed, in chunks; one statement per distinct value pair. */
  async writeQuality(
    rows: readonly QualityWrite[],
    current: ReadonlyMap<string, QualityWrite>,
  ): Promise<number> {
    const changed = rows.filter((r) => {
      const c = current.get(r.id);
      return (
        !c ||
        c.score !== r.score ||
        c.labels.join('|') !== r.labels.join('|') ||
        JSON.stringify(c.flags) !== JSON.stringify(r.flags)
      );
    });
    const byValue = new Map<string, string[]>();
    for (const r of changed) {
      const key = JSON.stringify([r.score, r.labels, r.flags]);
      const list = byValue.get(key);
      if (list) list.push(r.id);
      else byValue.set(key, [r.id]);
    }
    for (const [key, ids] of byValue) {
      const [score, labels, flags] = JSON.parse(key) as [number | null, string[], QualityFlag[]];
      for (const chunk of chunksOf(ids))
        await this.db
          .updateTable('assets')
          .set({
            quality_score: score,
            quality_labels: JSON.stringify(labels),
            quality_flags: JSON.stringify(flags),
          })
          .where('id', 'in', chunk)
          .execute();
    }
    return changed.length;
  }

  /** Flagged assets by score then id (keyset), optionally one label, library and batch. */
  qualityPage(q: QualityPageQuery): Promise<AssetRow[]> {
    let query = this.db.selectFrom('assets').selectAll().where('status', '=', 'ready');
    query = query.where('quality_score', 'is not', null);
    query = query.where('library_id', 'in', q.libraryIds);
    if (q.batchId) query = query.where('import_batch_id', '=', q.batchId);
    if (q.maxScore !== undefined) query = query.where('quality_score', '<=', q.maxScore);
    if (q.label !== undefined) query = query.where(sql<boolean>`quality_labels ? ${q.label}`);
    if (q.maxScore === undefined && q.label === undefined)
      query = query.where(sql<boolean>`jsonb_array_length(quality_labels) > 0`);
    const after = q.after;
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('quality_score', '>', after.value),
          eb.and([eb('quality_score', '=', after.value), eb('id', '>', after.id)]),
        ]),
      );
    return query.orderBy('quality_score', 'asc').orderBy('id', 'asc').limit(q.limit).execute();
  }
}
