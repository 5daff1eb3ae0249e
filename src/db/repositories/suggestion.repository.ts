import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { chunksOf } from '../chunks.js';
import type { AlbumTable, Database, SuggestionKind, SuggestionTable } from '../schema.js';

export type SuggestionRow = Selectable<SuggestionTable>;
export type AlbumRow = Selectable<AlbumTable>;

export interface ComputedSuggestion {
  key: string;
  kind: SuggestionKind;
  name: string;
  startsAt: Date | null;
  endsAt: Date | null;
  latitude: number | null;
  longitude: number | null;
  assetIds: readonly string[];
}

/** Organisation suggestions and the albums accepting one creates. */
export class SuggestionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Open suggestions follow the analysis; accepted ones stay as they were accepted. A suggestion
   * whose name and photos are unchanged is not written.
   */
  async replaceOpen(libraryId: string, computed: readonly ComputedSuggestion[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('suggestions')
        .select(['id', 'suggestion_key', 'status', 'name'])
        .where('library_id', '=', libraryId)
        .execute();
      const members = new Map<string, string[]>();
      const rows = await trx
        .selectFrom('suggestion_assets as sa')
        .innerJoin('suggestions as s', 's.id', 'sa.suggestion_id')
        .select(['sa.suggestion_id', 'sa.asset_id'])
        .where('s.library_id', '=', libraryId)
        .where('s.status', '=', 'open')
        .execute();
      for (const r of rows) {
        const list = members.get(r.suggestion_id);
        if (list) list.push(r.asset_id);
        else members.set(r.suggestion_id, [r.asset_id]);
      }
      const sameSet = (a: readonly string[], b: readonly string[]) =>
        a.length === b.length && [...a].sort().join() === [...b].sort().join();
      const byKey = new Map(existing.map((s) => [s.suggestion_key, s]));
      const keep = new Set<string>();
      for (const s of computed) {
        const prior = byKey.get(s.key);
        if (
          prior &&
          (prior.status === 'accepted' ||
            (prior.name === s.name && sameSet(members.get(prior.id) ?? [], s.assetIds)))
        ) {
          keep.add(prior.id);
          continue;
        }
        const values = {
          library_id: libraryId,
          suggestion_key: s.key,
          kind: s.kind,
          name: s.name,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          latitude: s.latitude,
          longitude: s.longitude,
          asset_count: s.assetIds.length,
        };
        let id = prior?.id;
        if (id) {
          await trx.updateTable('suggestions').set(values).where('id', '=', id).execute();
          await trx.deleteFrom('suggestion_assets').where('suggestion_id', '=', id).execute();
        } else {
          id = (await trx.insertInto('suggestions').values(values).returning('id').executeTakeFirstOrThrow())
            .id;
        }
        keep.add(id);
        const suggestionId = id;
        for (const chunk of chunksOf(s.assetIds, 2))
          await trx
            .insertInto('suggestion_assets')
            .values(chunk.map((asset_id) => ({ suggestion_id: suggestionId, asset_id })))
            .execute();
      }
      const stale = existing.filter((s) => s.status === 'open' && !keep.has(s.id)).map((s) => s.id);
      for (const chunk of chunksOf(stale))
        await trx.deleteFrom('suggestions').where('id', 'in', chunk).execute();
    });
  }

  /**
   * Suggestions of the caller's libraries, each with `accepted_album_id`: the album `viewerId` made
   * of it, if any. Accepting is each user's own (albums are private), so "open" and "accepted" are
   * per viewer; the row's own `status` only records that someone accepted it (the analysis then
   * leaves it as it was).
   */
  list(q: {
    /** Libraries the caller may see (never empty: the service returns nothing instead). */
    libraryIds: readonly string[];
    viewerId: string;
    batchId?: string;
    status?: 'open' | 'accepted';
    limit: number;
    after: string | null;
  }): Promise<(SuggestionRow & { accepted_album_id: string | null })[]> {
    const myAlbum = (eb: ExpressionBuilder<Database & { s: SuggestionTable }, 's'>) =>
      eb
        .selectFrom('albums as al')
        .select('al.id')
        .whereRef('al.suggestion_key', '=', 's.suggestion_key')
        .where('al.owner_id', '=', q.viewerId)
        .limit(1);
    let query = this.db
      .selectFrom('suggestions as s')
      .selectAll('s')
      .select((eb) => myAlbum(eb).as('accepted_album_id'))
      .where('s.library_id', 'in', q.libraryIds);
    if (q.status === 'open') query = query.where((eb) => eb.not(eb.exists(myAlbum(eb))));
    if (q.status === 'accepted') query = query.where((eb) => eb.exists(myAlbum(eb)));
    const batchId = q.batchId;
    if (batchId)
      query = query.where('s.id', 'in', (eb) =>
        eb
          .selectFrom('suggestion_assets as sa')
          .innerJoin('assets as a', 'a.id', 'sa.asset_id')
          .select('sa.suggestion_id')
          .where('a.import_batch_id', '=', batchId),
      );
    if (q.after) query = query.where('s.id', '>', q.after);
    return query.orderBy('s.id').limit(q.limit).execute();
  }

  findById(id: string): Promise<SuggestionRow | undefined> {
    return this.db.selectFrom('suggestions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The photos of each suggestion, in one query for a whole page. */
  async assetIdsOf(suggestionIds: readonly string[]): Promise<Map<string, string[]>> {
    const bySuggestion = new Map<string, string[]>(suggestionIds.map((id) => [id, []]));
    if (suggestionIds.length === 0) return bySuggestion;
    const rows = await this.db
      .selectFrom('suggestion_assets')
      .select(['suggestion_id', 'asset_id'])
      .where('suggestion_id', 'in', suggestionIds)
      .execute();
    for (const r of rows) bySuggestion.get(r.suggestion_id)?.push(r.asset_id);
    return bySuggestion;
  }

  /**
   * Creates the album of a suggestion with its photos and marks the suggestion accepted, in one
   * transaction. Accepting again returns the same album (unique per owner and suggestion key).
   */
  accept(s: SuggestionRow, name: string, ownerId: string): Promise<AlbumRow> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('albums')
        .selectAll()
        .where('suggestion_key', '=', s.suggestion_key)
        .where('owner_id', '=', ownerId)
        .executeTakeFirst();
      const album =
        existing ??
        (await trx
          .insertInto('albums')
          .values({ name, source: 'suggestion', suggestion_key: s.suggestion_key, owner_id: ownerId })
          .returningAll()
          .executeTakeFirstOrThrow());
      await trx
        .insertInto('album_assets')
        .columns(['album_id', 'asset_id'])
        .expression((eb) =>
          eb
            .selectFrom('suggestion_assets')
            .select([sql<string>`${album.id}::uuid`.as('album_id'), 'asset_id'])
            .where('suggestion_id', '=', s.id),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
      await trx
        .updateTable('suggestions')
        .set({ status: 'accepted', album_id: album.id })
        .where('id', '=', s.id)
        .execute();
      return album;
    });
  }

  albums(ownerId: string, limit: number, after: string | null) {
    let q = this.db
      .selectFrom('albums')
      .where('owner_id', '=', ownerId)
      .selectAll('albums')
      .select((eb) =>
        eb
          .selectFrom('album_assets')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('album_assets.album_id', '=', 'albums.id')
          .as('asset_count'),
      );
    if (after) q = q.where('id', '>', after);
    return q.orderBy('id').limit(limit).execute();
  }

  findAlbum(id: string): Promise<AlbumRow | undefined> {
    return this.db.selectFrom('albums').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async albumAssetIds(albumId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('album_assets')
      .select('asset_id')
      .where('album_id', '=', albumId)
      .orderBy('added_at')
      .execute();
    return rows.map((r) => r.asset_id);
  }
}
