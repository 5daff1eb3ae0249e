import { sql, type Kysely, type Selectable } from 'kysely';
import type { MergeableMetadata } from '../../domain/metadata-merge.js';
import { chunksOf, queryInChunks } from '../chunks.js';
import { isUniqueViolation } from '../database-errors.js';
import type { ActionItemStatus, ActionItemTable, Database } from '../schema.js';

export type ActionItemRow = Selectable<ActionItemTable>;

export interface NewRemoval {
  libraryId: string;
  assetId: string;
  keeperAssetIds: string[];
  source: string;
  sourceId: string | null;
  reason: string | null;
  requestedBy: string | null;
}

/** What undo needs to put a keeper back as it was before a merge. */
export interface KeeperMergeRecord {
  assetId: string;
  before: MergeableMetadata;
  addedAlbumIds: string[];
}

export class ActiveRemovalExistsError extends Error {
  constructor() {
    super('An asset in this request is already being removed or was removed.');
    this.name = 'ActiveRemovalExistsError';
  }
}

/** Action items (one per file to remove) and the asset metadata the merge reads and writes. */
export class ActionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts every removal or none: the partial unique index on active items makes a second request
   * for the same asset fail, so concurrent applies of one decision cannot both proceed.
   */
  async insertRemovals(items: readonly NewRemoval[]): Promise<ActionItemRow[]> {
    try {
      const rows = items.map((i) => ({
        library_id: i.libraryId,
        asset_id: i.assetId,
        kind: 'remove' as const,
        source: i.source,
        source_id: i.sourceId,
        keeper_asset_ids: JSON.stringify(i.keeperAssetIds),
        reason: i.reason,
        status: 'pending' as const,
        requested_by: i.requestedBy,
      }));
      // A duplicate group may have thousands of members: chunks of one transaction.
      return await this.db
        .transaction()
        .execute((trx) =>
          queryInChunks(
            rows,
            (chunk) => trx.insertInto('action_items').values(chunk).returningAll().execute(),
            9,
          ),
        );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ActiveRemovalExistsError();
      throw err;
    }
  }

  async attachToJob(itemIds: readonly string[], jobId: string): Promise<void> {
    if (itemIds.length === 0) return;
    for (const chunk of chunksOf(itemIds))
      await this.db.updateTable('action_items').set({ job_id: jobId }).where('id', 'in', chunk).execute();
  }

  async findItems(ids: readonly string[]): Promise<ActionItemRow[]> {
    const rows = await queryInChunks(ids, (chunk) =>
      this.db.selectFrom('action_items').selectAll().where('id', 'in', chunk).execute(),
    );
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  }

  itemsOfJob(jobId: string): Promise<ActionItemRow[]> {
    return this.db
      .selectFrom('action_items')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Failed items of a job back to pending (those whose asset has no other active removal). */
  async requeueFailed(jobId: string): Promise<string[]> {
    const failed = await this.db
      .selectFrom('action_items')
      .select('id')
      .where('job_id', '=', jobId)
      .where('status', '=', 'failed')
      .execute();
    const ids: string[] = [];
    for (const { id } of failed) {
      try {
        await this.db
          .updateTable('action_items')
          .set({ status: 'pending', error: null, finished_at: null })
          .where('id', '=', id)
          .execute();
        ids.push(id);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return ids;
  }

  async finishItem(id: string, status: ActionItemStatus, error: string | null = null): Promise<void> {
    await this.db
      .updateTable('action_items')
      .set({ status, error, finished_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Recorded removals of a read-only library, oldest first, with the paths of the kept copies. */
  async recordedFor(libraryId: string) {
    const rows = await this.db
      .selectFrom('action_items as i')
      .innerJoin('assets as a', 'a.id', 'i.asset_id')
      .select(['i.id', 'i.asset_id', 'a.path', 'i.keeper_asset_ids', 'i.reason', 'i.created_at'])
      .where('i.library_id', '=', libraryId)
      .where('i.status', '=', 'recorded')
      .orderBy('i.created_at')
      .orderBy('i.id')
      .execute();
    const keeperIds = [...new Set(rows.flatMap((r) => r.keeper_asset_ids))];
    const keepers = await queryInChunks(keeperIds, (chunk) =>
      this.db.selectFrom('assets').select(['id', 'path']).where('id', 'in', chunk).execute(),
    );
    const pathOf = new Map(keepers.map((k) => [k.id, k.path]));
    return rows.map((r) => ({
      itemId: r.id,
      assetId: r.asset_id,
      path: r.path,
      keeperPaths: r.keeper_asset_ids.flatMap((k) => pathOf.get(k) ?? []),
      reason: r.reason,
      decidedAt: r.created_at,
    }));
  }

  assetsByIds(ids: readonly string[]) {
    return queryInChunks(ids, (chunk) =>
      this.db
        .selectFrom('assets')
        .select(['id', 'library_id', 'path', 'status', 'size_bytes'])
        .where('id', 'in', chunk)
        .execute(),
    );
  }

  async readMetadata(assetId: string): Promise<MergeableMetadata | undefined> {
    const r = await this.db
      .selectFrom('assets')
      .select(['favourite', 'rating', 'tags', 'description', 'gps_latitude', 'gps_longitude', 'gps_altitude'])
      .where('id', '=', assetId)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      favourite: r.favourite,
      rating: r.rating,
      tags: r.tags,
      description: r.description,
      gps:
        r.gps_latitude !== null && r.gps_longitude !== null
          ? { latitude: r.gps_latitude, longitude: r.gps_longitude, altitude: r.gps_altitude }
          : null,
    };
  }

  async albumsOf(assetId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('album_assets')
      .select('album_id')
      .where('asset_id', '=', assetId)
      .execute();
    return rows.map((r) => r.album_id);
  }

  /**
   * Commits one removal after its file is in the trash: the keepers' merged metadata and album
   * memberships, the trash entry's undo record, the asset's `trashed` status and the item's result.
   */
  async commitRemoval(input: {
    itemId: string;
    assetId: string;
    trashItemId: string;
    keepers: { assetId: string; after: MergeableMetadata; record: KeeperMergeRecord }[];
    /** More undo data kept with the merge (e.g. what Immich had). */
    extra?: Record<string, unknown>;
  }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const k of input.keepers) {
        await trx.updateTable('assets').set(metadataColumns(k.after)).where('id', '=', k.assetId).execute();
        if (k.record.addedAlbumIds.length > 0)
          await trx
            .insertInto('album_assets')
            .values(k.record.addedAlbumIds.map((albumId) => ({ album_id: albumId, asset_id: k.assetId })))
            .onConflict((oc) => oc.doNothing())
            .execute();
      }
      await trx
        .updateTable('trash_items')
        .set({ merge: JSON.stringify({ ...input.extra, keepers: input.keepers.map((k) => k.record) }) })
        .where('id', '=', input.trashItemId)
        .execute();
      await trx
        .updateTable('assets')
        .set({ status: 'trashed', updated_at: sql`now()` })
        .where('id', '=', input.assetId)
        .execute();
      await trx
        .updateTable('action_items')
        .set({ status: 'applied', error: null, finished_at: sql`now()` })
        .where('id', '=', input.itemId)
        .execute();
    });
  }

  /** Undo of a merge: each keeper gets its `before` metadata back and loses the albums it gained. */
  async revertMerge(records: readonly KeeperMergeRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const r of records) {
        await trx.updateTable('assets').set(metadataColumns(r.before)).where('id', '=', r.assetId).execute();
        if (r.addedAlbumIds.length > 0)
          await trx
            .deleteFrom('album_assets')
            .where('asset_id', '=', r.assetId)
            .where('album_id', 'in', r.addedAlbumIds)
            .execute();
      }
    });
  }
}

function metadataColumns(m: MergeableMetadata) {
  return {
    favourite: m.favourite,
    rating: m.rating,
    tags: JSON.stringify(m.tags),
    description: m.description,
    gps_latitude: m.gps?.latitude ?? null,
    gps_longitude: m.gps?.longitude ?? null,
    gps_altitude: m.gps?.altitude ?? null,
    updated_at: sql<Date>`now()`,
  };
}
