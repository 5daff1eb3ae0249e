import { sql, type Kysely } from 'kysely';
import { chunksOf, queryInChunks } from '../chunks.js';
import type { Database } from '../schema.js';
import type { AssetRow } from './asset.repository.js';
import type { AlbumRow } from './suggestion.repository.js';

/** An album as its list shows it: its photo count and the cover (chosen, else its first photo). */
export type AlbumListRow = AlbumRow & { asset_count: number; cover_id: string | null };

/**
 * Albums made by hand or from a suggestion, each one user's own. Every read counts only photos
 * that are ready and in `libraryIds` (what the owner can still see): a photo trashed or in a
 * library no longer shared with them leaves the album's view without being forgotten.
 */
export class AlbumRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(ownerId: string, libraryIds: readonly string[], limit: number, after: string | null) {
    const visible = libraryIds.length > 0 ? libraryIds : ['00000000-0000-0000-0000-000000000000'];
    let q = this.db
      .selectFrom('albums as al')
      .where('al.owner_id', '=', ownerId)
      .selectAll('al')
      .select((eb) =>
        eb
          .selectFrom('album_assets as aa')
          .innerJoin('assets as a', 'a.id', 'aa.asset_id')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('aa.album_id', '=', 'al.id')
          .where('a.status', '=', 'ready')
          .where('a.library_id', 'in', visible)
          .as('asset_count'),
      )
      .select((eb) =>
        eb
          .selectFrom('album_assets as aa')
          .innerJoin('assets as a', 'a.id', 'aa.asset_id')
          .select('aa.asset_id')
          .whereRef('aa.album_id', '=', 'al.id')
          .where('a.status', '=', 'ready')
          .where('a.library_id', 'in', visible)
          .orderBy(sql`aa.asset_id = al.cover_asset_id`, 'desc')
          .orderBy('aa.added_at')
          .orderBy('aa.asset_id')
          .limit(1)
          .as('cover_id'),
      );
    if (after) q = q.where('al.id', '>', after);
    const rows = await q.orderBy('al.id').limit(limit).execute();
    return rows.map((r) => ({ ...r, asset_count: Number(r.asset_count ?? 0) }));
  }

  find(id: string): Promise<AlbumRow | undefined> {
    return this.db.selectFrom('albums').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The album's photos the owner can see, in the order they were added. */
  assets(albumId: string, libraryIds: readonly string[]): Promise<AssetRow[]> {
    if (libraryIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('album_assets as aa')
      .innerJoin('assets as a', 'a.id', 'aa.asset_id')
      .selectAll('a')
      .where('aa.album_id', '=', albumId)
      .where('a.status', '=', 'ready')
      .where('a.library_id', 'in', libraryIds)
      .orderBy('aa.added_at')
      .orderBy('aa.asset_id')
      .limit(10_000)
      .execute();
  }

  create(ownerId: string, name: string, description: string | null): Promise<AlbumRow> {
    return this.db
      .insertInto('albums')
      .values({ name, description, source: 'manual', owner_id: ownerId })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(
    id: string,
    change: { name?: string; description?: string | null; cover_asset_id?: string | null },
  ): Promise<void> {
    if (Object.keys(change).length === 0) return;
    await this.db
      .updateTable('albums')
      .set({ ...change, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async addAssets(albumId: string, assetIds: readonly string[]): Promise<void> {
    if (assetIds.length === 0) return;
    const base = Date.now();
    // A millisecond apart, so the album keeps the order they were given in (the first is the cover).
    const rows = assetIds.map((asset_id, i) => ({
      album_id: albumId,
      asset_id,
      added_at: new Date(base + i),
    }));
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunksOf(rows, 3))
        await trx
          .insertInto('album_assets')
          .values(chunk)
          .onConflict((oc) => oc.doNothing())
          .execute();
    });
  }

  async removeAssets(albumId: string, assetIds: readonly string[]): Promise<void> {
    if (assetIds.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunksOf(assetIds)) {
        await trx
          .deleteFrom('album_assets')
          .where('album_id', '=', albumId)
          .where('asset_id', 'in', chunk)
          .execute();
        await trx
          .updateTable('albums')
          .set({ cover_asset_id: null })
          .where('id', '=', albumId)
          .where('cover_asset_id', 'in', chunk)
          .execute();
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // A suggestion accepted into this album is open again for its user.
      await trx.updateTable('suggestions').set({ album_id: null }).where('album_id', '=', id).execute();
      await trx.deleteFrom('albums').where('id', '=', id).execute();
    });
  }

  /** Of `assetIds`, those that exist, are ready and are in `libraryIds`. */
  async visibleAssets(assetIds: readonly string[], libraryIds: readonly string[]): Promise<string[]> {
    if (assetIds.length === 0 || libraryIds.length === 0) return [];
    const rows = await queryInChunks(assetIds, (chunk) =>
      this.db
        .selectFrom('assets')
        .select('id')
        .where('id', 'in', chunk)
        .where('library_id', 'in', libraryIds)
        .where('status', '=', 'ready')
        .execute(),
    );
    return rows.map((r) => r.id);
  }
}

/** Each user's favourite photos. */
export class FavouriteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async set(userId: string, assetId: string, favourite: boolean): Promise<void> {
    if (favourite)
      await this.db
        .insertInto('favourites')
        // Millisecond precision, as the list's cursor carries it.
        .values({ user_id: userId, asset_id: assetId, created_at: new Date() })
        .onConflict((oc) => oc.doNothing())
        .execute();
    else
      await this.db
        .deleteFrom('favourites')
        .where('user_id', '=', userId)
        .where('asset_id', '=', assetId)
        .execute();
  }

  async has(userId: string, assetId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('favourites')
      .select('asset_id')
      .where('user_id', '=', userId)
      .where('asset_id', '=', assetId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Newest favourite first; `after` is the (marked at, asset id) of the previous page's last. */
  list(
    userId: string,
    libraryIds: readonly string[],
    limit: number,
    after: { value: number; id: string } | null,
  ): Promise<(AssetRow & { favourited_at: Date })[]> {
    if (libraryIds.length === 0) return Promise.resolve([]);
    let q = this.db
      .selectFrom('favourites as f')
      .innerJoin('assets as a', 'a.id', 'f.asset_id')
      .selectAll('a')
      .select('f.created_at as favourited_at')
      .where('f.user_id', '=', userId)
      .where('a.status', '=', 'ready')
      .where('a.library_id', 'in', libraryIds);
    if (after) {
      const at = new Date(after.value);
      q = q.where((eb) =>
        eb.or([
          eb('f.created_at', '<', at),
          eb.and([eb('f.created_at', '=', at), eb('f.asset_id', '<', after.id)]),
        ]),
      );
    }
    return q.orderBy('f.created_at', 'desc').orderBy('f.asset_id', 'desc').limit(limit).execute();
  }
}
