import { sql, type Kysely, type Selectable } from 'kysely';
import { chunksOf, queryInChunks } from '../chunks.js';
import type {
  Confidence,
  Database,
  DuplicateAction,
  DuplicateGroupStatus,
  DuplicateGroupTable,
  DuplicateKind,
} from '../schema.js';
import type { AssetRow } from './asset.repository.js';

export type DuplicateGroupRow = Selectable<DuplicateGroupTable>;
/** A listed group, with what its keeper's picture can show. */
export type DuplicateListRow = DuplicateGroupRow & {
  keeper_kind: string | null;
  keeper_has_thumbnail: boolean | null;
};

/** An asset row with whether it is in any album (the keeper rule `in-album`). */
export type AssetWithAlbum = AssetRow & { in_album: boolean };

const inAlbum = sql<boolean>`exists (select 1 from album_assets aa where aa.asset_id = assets.id)`.as(
  'in_album',
);

export interface EdgeRow {
  a: string;
  b: string;
  score: number;
  tier: 'duplicate' | 'similar';
}

export interface StoredEdge extends EdgeRow {
  transform: string | null;
}

export interface SignatureRow {
  id: string;
  capture_local: string | null;
  signatures: Buffer;
  ingested_at: Date | null;
  matched_at: Date | null;
}

export interface ComputedGroup {
  kind: DuplicateKind;
  groupKey: string;
  keeperAssetId: string;
  bytesReclaimable: number;
  minSimilarity: number;
  confidence: Confidence;
  newestAt: Date;
  members: {
    assetId: string;
    rank: number;
    similarity: number;
    isKeeper: boolean;
    keeperReason: string | null;
  }[];
}

export type GroupSort = 'newest' | 'space' | 'similarity';

export interface GroupPageQuery {
  kind?: DuplicateKind;
  libraryId?: string;
  /** Libraries the caller can see; must not be empty. */
  libraryIds: readonly string[];
  status: DuplicateGroupStatus;
  sort: GroupSort;
  limit: number;
  after: { value: number; id: string } | null;
}

const sortColumn = {
  newest: 'newest_at',
  space: 'bytes_reclaimable',
  similarity: 'min_similarity',
} as const;

export class DuplicateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Ready, non-empty assets whose SHA-256 is shared with another ready asset. */
  exactDuplicateAssets(): Promise<AssetWithAlbum[]> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .select(inAlbum)
      .where('status', '=', 'ready')
      .where('size_bytes', '>', 0)
      .where('kind', '!=', 'xmp')
      .where('sha256', 'in', (eb) =>
        eb
          .selectFrom('assets')
          .select('sha256')
          .where('status', '=', 'ready')
          .where('size_bytes', '>', 0)
          .where('sha256', 'is not', null)
          .groupBy('sha256')
          .having((h) => h.fn.countAll(), '>', 1),
      )
      .orderBy('sha256')
      .orderBy('path')
      .execute();
  }

  assetsByIds(ids: readonly string[]): Promise<AssetWithAlbum[]> {
    return queryInChunks(ids, (chunk) =>
      this.db.selectFrom('assets').selectAll().select(inAlbum).where('id', 'in', chunk).execute(),
    );
  }

  /** Signature sets of the ready pictures already matched: what the index holds after a restart. */
  matchedSignatures(): Promise<SignatureRow[]> {
    return this.db
      .selectFrom('assets')
      .select(['id', 'capture_local', 'signatures', 'ingested_at', 'matched_at'])
      .where('status', '=', 'ready')
      .where('signatures', 'is not', null)
      .where('matched_at', 'is not', null)
      .where((eb) => eb.or([eb('ingested_at', 'is', null), eb('ingested_at', '<=', eb.ref('matched_at'))]))
      .execute() as Promise<SignatureRow[]>;
  }

  /** Ready pictures not matched since they were (re)ingested — only their ids, not their signatures. */
  async unmatchedIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('status', '=', 'ready')
      .where('signatures', 'is not', null)
      .where((eb) => eb.or([eb('matched_at', 'is', null), eb('ingested_at', '>', eb.ref('matched_at'))]))
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ready pictures with a signature whose capture wall clock is one of `keys` (id and key only). */
  async idsByCaptureLocal(keys: readonly string[]): Promise<{ id: string; capture_local: string }[]> {
    const rows = await queryInChunks(keys, (chunk) =>
      this.db
        .selectFrom('assets')
        .select(['id', 'capture_local'])
        .where('status', '=', 'ready')
        .where('signatures', 'is not', null)
        .where('capture_local', 'in', chunk)
        .execute(),
    );
    return rows.flatMap((r) =>
      r.capture_local === null ? [] : [{ id: r.id, capture_local: r.capture_local }],
    );
  }

  signaturesByIds(ids: readonly string[]): Promise<SignatureRow[]> {
    return queryInChunks(
      ids,
      (chunk) =>
        this.db
          .selectFrom('assets')
          .select(['id', 'capture_local', 'signatures', 'ingested_at', 'matched_at'])
          .where('id', 'in', chunk)
          .where('signatures', 'is not', null)
          .execute() as Promise<SignatureRow[]>,
    );
  }

  async markMatched(ids: readonly string[], at: Date): Promise<void> {
    for (const chunk of chunksOf(ids))
      await this.db.updateTable('assets').set({ matched_at: at }).where('id', 'in', chunk).execute();
  }

  /** Every picture is matched again by the next analysis (the thresholds changed). */
  async forgetMatches(): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ matched_at: null })
      .where('matched_at', 'is not', null)
      .execute();
  }

  async upsertEdges(edges: readonly StoredEdge[]): Promise<void> {
    for (const slice of chunksOf(edges, 5)) {
      const chunk = slice.map((e) => {
        const [a, b] = e.a < e.b ? [e.a, e.b] : [e.b, e.a];
        return { asset_a: a, asset_b: b, score: e.score, tier: e.tier, transform: e.transform };
      });
      await this.db
        .insertInto('similarity_edges')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['asset_a', 'asset_b']).doUpdateSet((eb) => ({
            score: eb.ref('excluded.score'),
            tier: eb.ref('excluded.tier'),
            transform: eb.ref('excluded.transform'),
          })),
        )
        .execute();
    }
  }

  /** Edges between ready assets only: a missing or failed file is never proposed. */
  readyEdges(minScore: number): Promise<EdgeRow[]> {
    return this.db
      .selectFrom('similarity_edges as e')
      .innerJoin('assets as x', 'x.id', 'e.asset_a')
      .innerJoin('assets as y', 'y.id', 'e.asset_b')
      .select(['e.asset_a as a', 'e.asset_b as b', 'e.score', 'e.tier'])
      .where('x.status', '=', 'ready')
      .where('y.status', '=', 'ready')
      .where('e.score', '>=', minScore)
      .execute();
  }

  /** Stored edges touching any of `ids` (for the two-hop expansion around new pictures). */
  async edgesTouching(ids: readonly string[]): Promise<EdgeRow[]> {
    const rows = await queryInChunks(
      ids,
      (chunk) =>
        this.db
          .selectFrom('similarity_edges')
          .select(['asset_a as a', 'asset_b as b', 'score', 'tier'])
          .where((eb) => eb.or([eb('asset_a', 'in', chunk), eb('asset_b', 'in', chunk)]))
          .execute(),
      2,
    );
    // An edge between two ids of different chunks comes back twice.
    const unique = new Map(rows.map((r) => [`${r.a}|${r.b}`, r]));
    return [...unique.values()];
  }

  async deleteEdgesOf(assetIds: readonly string[]): Promise<void> {
    for (const chunk of chunksOf(assetIds, 2))
      await this.db
        .deleteFrom('similarity_edges')
        .where((eb) => eb.or([eb('asset_a', 'in', chunk), eb('asset_b', 'in', chunk)]))
        .execute();
  }

  async notDuplicatePairs(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('not_duplicate_pairs').select(['asset_a', 'asset_b']).execute();
    return new Set(rows.map((r) => `${r.asset_a}|${r.asset_b}`));
  }

  /**
   * Version-stack members other than the primary (a RAW beside its JPEG, an edit beside its
   * original, a Live Photo's video): relatives are never offered for deletion as duplicates.
   */
  async versionSecondaryIds(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('version_stack_members as m')
      .innerJoin('version_stacks as s', 's.id', 'm.stack_id')
      .select('m.asset_id')
      .whereRef('m.asset_id', '!=', 's.primary_asset_id')
      .execute();
    return new Set(rows.map((r) => r.asset_id));
  }

  async addNotDuplicatePairs(pairs: readonly [string, string][]): Promise<void> {
    if (pairs.length === 0) return;
    const values = pairs.map(([x, y]) => (x < y ? { asset_a: x, asset_b: y } : { asset_a: y, asset_b: x }));
    // A group of n members makes n(n-1)/2 pairs: hundreds of members, tens of thousands of pairs.
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunksOf(values, 2))
        await trx
          .insertInto('not_duplicate_pairs')
          .values(chunk)
          .onConflict((oc) => oc.doNothing())
          .execute();
    });
  }

  /** Keys of the groups of `kind` already proven safe (green), read once per analysis. */
  async greenGroupKeys(kind: DuplicateKind): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('duplicate_groups')
      .select('group_key')
      .where('kind', '=', kind)
      .where('confidence', '=', 'green')
      .execute();
    return new Set(rows.map((r) => r.group_key));
  }

  /**
   * Makes the stored groups of `kinds` equal to `computed`: a group whose member set is unchanged
   * keeps its id, status and decision; new sets are inserted; vanished sets are removed.
   */
  async replaceGroups(kinds: readonly DuplicateKind[], computed: readonly ComputedGroup[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('duplicate_groups')
        .select(['id', 'group_key'])
        .where('kind', 'in', kinds)
        .execute();
      const byKey = new Map(existing.map((g) => [g.group_key, g.id]));
      const keep = new Set<string>();
      for (const g of computed) {
        const values = {
          kind: g.kind,
          group_key: g.groupKey,
          keeper_asset_id: g.keeperAssetId,
          member_count: g.members.length,
          bytes_reclaimable: g.bytesReclaimable,
          min_similarity: g.minSimilarity,
          confidence: g.confidence,
          newest_at: g.newestAt,
        };
        let id = byKey.get(g.groupKey);
        if (id) {
          await trx
            .updateTable('duplicate_groups')
            .set({ ...values, updated_at: sql`now()` })
            .where('id', '=', id)
            .execute();
          await trx.deleteFrom('duplicate_group_members').where('group_id', '=', id).execute();
        } else {
          id = (
            await trx.insertInto('duplicate_groups').values(values).returning('id').executeTakeFirstOrThrow()
          ).id;
        }
        keep.add(id);
        const groupId = id;
        const members = g.members.map((m) => ({
          group_id: groupId,
          asset_id: m.assetId,
          rank: m.rank,
          similarity: m.similarity,
          is_keeper: m.isKeeper,
          keeper_reason: m.keeperReason,
        }));
        // Thousands of copies of one file are one group.
        for (const chunk of chunksOf(members, 6))
          await trx.insertInto('duplicate_group_members').values(chunk).execute();
      }
      const stale = existing.filter((g) => !keep.has(g.id)).map((g) => g.id);
      for (const chunk of chunksOf(stale))
        await trx.deleteFrom('duplicate_groups').where('id', 'in', chunk).execute();
    });
  }

  findById(id: string): Promise<DuplicateGroupRow | undefined> {
    return this.db.selectFrom('duplicate_groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  members(groupId: string) {
    return this.db
      .selectFrom('duplicate_group_members as m')
      .innerJoin('assets as a', 'a.id', 'm.asset_id')
      .selectAll('a')
      .select(['m.rank', 'm.similarity', 'm.is_keeper', 'm.keeper_reason'])
      .where('m.group_id', '=', groupId)
      .orderBy('m.rank')
      .execute();
  }

  listPage(q: GroupPageQuery): Promise<DuplicateListRow[]> {
    const col = sortColumn[q.sort];
    let query = this.db
      .selectFrom('duplicate_groups')
      .selectAll()
      // What the list's picture of the keeper can be: a video without ffmpeg has no thumbnail.
      .select((eb) => [
        eb
          .selectFrom('assets as k')
          .select('k.kind')
          .whereRef('k.id', '=', 'duplicate_groups.keeper_asset_id')
          .as('keeper_kind'),
        eb
          .selectFrom('assets as k')
          .select('k.has_thumbnail')
          .whereRef('k.id', '=', 'duplicate_groups.keeper_asset_id')
          .as('keeper_has_thumbnail'),
      ])
      .where('status', '=', q.status);
    if (q.kind) query = query.where('kind', '=', q.kind);
    // Only groups whose every member is in a library the caller can see. A correlated count (a
    // subplan per candidate row) rather than an anti-join: the page walks the sort index and stops
    // after `limit` rows instead of hashing every member of every group.
    const visible = q.libraryIds;
    query = query.where(
      (eb) =>
        eb
          .selectFrom('duplicate_group_members as vm')
          .innerJoin('assets as va', 'va.id', 'vm.asset_id')
          .select((e) => e.fn.countAll<number>().as('hidden'))
          .whereRef('vm.group_id', '=', 'duplicate_groups.id')
          .where('va.library_id', 'not in', visible),
      '=',
      0,
    );
    const libraryId = q.libraryId;
    if (libraryId)
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('duplicate_group_members as m')
          .innerJoin('assets as a', 'a.id', 'm.asset_id')
          .select('m.group_id')
          .where('a.library_id', '=', libraryId),
      );
    const after = q.after;
    if (after) {
      const v = col === 'newest_at' ? new Date(after.value) : after.value;
      // A row comparison, which PostgreSQL uses as an index condition (see AssetRepository.listPage).
      query = query.where((eb) => eb(eb.refTuple(col, 'id'), '<', eb.tuple(v, after.id)));
    }
    return query.orderBy(col, 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }

  async recordDecision(input: {
    group: DuplicateGroupRow;
    action: DuplicateAction;
    keepAssetIds: string[];
    memberAssetIds: string[];
    status: DuplicateGroupStatus;
  }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('duplicate_decisions')
        .values({
          group_id: input.group.id,
          group_key: input.group.group_key,
          action: input.action,
          keep_asset_ids: JSON.stringify(input.keepAssetIds),
          member_asset_ids: JSON.stringify(input.memberAssetIds),
        })
        .execute();
      await trx
        .updateTable('duplicate_groups')
        .set({ status: input.status, decided_at: sql`now()`, updated_at: sql`now()` })
        .where('id', '=', input.group.id)
        .execute();
    });
  }

  latestDecision(groupId: string) {
    return this.db
      .selectFrom('duplicate_decisions')
      .selectAll()
      .where('group_id', '=', groupId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
