import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { chunksOf, queryInChunks } from '../chunks.js';
import type {
  AssetTable,
  Database,
  ImmichWriteKind,
  ImmichWriteStatus,
  ImmichWriteTable,
} from '../schema.js';
import type { LibraryRow } from './library.repository.js';

export type ImmichWriteRow = Selectable<ImmichWriteTable>;

export interface KnownImmichAsset {
  id: string;
  mtimeMs: number;
  status: string;
  /** Immich checksum of the original when it was read. */
  inode: string;
}

export interface ImmichAssetListing {
  externalId: string;
  path: string;
  sizeBytes: number;
  /** Immich `updatedAt` in ms: a changed value means the asset must be read again. */
  mtimeMs: number;
  /** Immich checksum, so a changed original is seen even when updatedAt is not. */
  inode: string;
}

export interface ImmichWriteJob {
  jobId: string;
  createdAt: Date;
  kinds: ImmichWriteKind[];
  /** Items per status. */
  statuses: Partial<Record<ImmichWriteStatus, number>>;
}

/** Immich libraries, their assets' Immich ids, and the per-item writes of push jobs. */
export class ImmichRepository {
  constructor(private readonly db: Kysely<Database>) {}

  createLibrary(input: {
    name: string;
    url: string;
    keySealed: string;
    version: string;
    ownerId: string | null;
  }): Promise<LibraryRow> {
    return this.db
      .insertInto('libraries')
      .values({
        name: input.name,
        roots: JSON.stringify([]),
        kind: 'immich',
        immich_url: input.url,
        immich_key_sealed: input.keySealed,
        immich_version: input.version,
        owner_id: input.ownerId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateConnection(id: string, values: { keySealed?: string; version?: string }): Promise<void> {
    await this.db
      .updateTable('libraries')
      .set({
        ...(values.keySealed !== undefined ? { immich_key_sealed: values.keySealed } : {}),
        ...(values.version !== undefined ? { immich_version: values.version } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async markSynced(id: string, until: Date | null, at: Date): Promise<void> {
    await this.db
      .updateTable('libraries')
      .set({ immich_synced_until: until, last_scan_at: at })
      .where('id', '=', id)
      .execute();
  }

  async known(libraryId: string): Promise<Map<string, KnownImmichAsset>> {
    const rows = await this.db
      .selectFrom('assets')
      .select(['id', 'external_id', 'mtime_ms', 'status', 'inode'])
      .where('library_id', '=', libraryId)
      .where('external_id', 'is not', null)
      .execute();
    return new Map(
      rows.map((r) => [
        r.external_id as string,
        { id: r.id, mtimeMs: r.mtime_ms, status: r.status, inode: r.inode },
      ]),
    );
  }

  /** Assets of the library Immich should still have (not missing, not in its trash). */
  async liveCount(libraryId: string): Promise<number> {
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('library_id', '=', libraryId)
      .where('external_id', 'is not', null)
      .where('status', 'not in', ['missing', 'trashed'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Records listed assets as pending (new rows, or known rows whose Immich version changed); returns their ids. */
  async upsertPending(libraryId: string, listed: readonly ImmichAssetListing[]): Promise<string[]> {
    if (listed.length === 0) return [];
    const values: Insertable<AssetTable>[] = listed.map((f) => ({
      library_id: libraryId,
      external_id: f.externalId,
      path: f.path,
      size_bytes: f.sizeBytes,
      mtime_ms: f.mtimeMs,
      inode: f.inode,
      status: 'pending',
      sort_at: new Date(f.mtimeMs),
    }));
    // Ten parameters a row (eight values, the conflict's status, its null test's operand).
    const rows = await queryInChunks(
      values,
      (chunk) =>
        this.db
          .insertInto('assets')
          .values(chunk)
          .onConflict((oc) =>
            oc
              .columns(['library_id', 'external_id'])
              .where('external_id', 'is not', null)
              .doUpdateSet((eb) => ({
                path: eb.ref('excluded.path'),
                size_bytes: eb.ref('excluded.size_bytes'),
                mtime_ms: eb.ref('excluded.mtime_ms'),
                inode: eb.ref('excluded.inode'),
                status: 'pending',
                updated_at: sql`now()`,
              })),
          )
          .returning('id')
          .execute(),
      10,
    );
    return rows.map((r) => r.id);
  }

  async markMissing(ids: readonly string[]): Promise<number> {
    let count = 0;
    for (const chunk of chunksOf(ids)) {
      const res = await this.db
        .updateTable('assets')
        .set({ status: 'missing', updated_at: sql`now()` })
        .where('id', 'in', chunk)
        .where('status', 'not in', ['missing', 'trashed'])
        .executeTakeFirst();
      count += Number(res.numUpdatedRows);
    }
    return count;
  }

  /** photo-sync asset id → Immich asset id. */
  async externalIds(assetIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await queryInChunks([...assetIds], (chunk) =>
      this.db
        .selectFrom('assets')
        .select(['id', 'external_id'])
        .where('id', 'in', chunk)
        .where('external_id', 'is not', null)
        .execute(),
    );
    return new Map(rows.map((r) => [r.id, r.external_id as string]));
  }

  async insertWrites(
    rows: readonly {
      libraryId: string;
      kind: ImmichWriteKind;
      subjectId: string;
      name: string | null;
      assetIds: string[];
    }[],
  ): Promise<ImmichWriteRow[]> {
    const values = rows.map((r) => ({
      library_id: r.libraryId,
      kind: r.kind,
      subject_id: r.subjectId,
      name: r.name,
      asset_ids: JSON.stringify(r.assetIds),
      before: JSON.stringify({}),
      status: 'pending' as const,
    }));
    return this.db
      .transaction()
      .execute((trx) =>
        queryInChunks(
          values,
          (chunk) => trx.insertInto('immich_writes').values(chunk).returningAll().execute(),
          7,
        ),
      );
  }

  async attachWrites(ids: readonly string[], jobId: string): Promise<void> {
    for (const chunk of chunksOf(ids))
      await this.db.updateTable('immich_writes').set({ job_id: jobId }).where('id', 'in', chunk).execute();
  }

  async writes(ids: readonly string[]): Promise<ImmichWriteRow[]> {
    const rows = await queryInChunks(ids, (chunk) =>
      this.db.selectFrom('immich_writes').selectAll().where('id', 'in', chunk).execute(),
    );
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
  }

  /** Subjects that already have a write of this kind queued or applied (not failed, skipped or undone). */
  async activeSubjects(
    libraryId: string,
    kind: ImmichWriteKind,
    subjectIds: readonly string[],
  ): Promise<Set<string>> {
    if (subjectIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('immich_writes')
      .select('subject_id')
      .where('library_id', '=', libraryId)
      .where('kind', '=', kind)
      .where('status', 'in', ['pending', 'applied'])
      .where('subject_id', 'in', [...subjectIds])
      .execute();
    return new Set(rows.map((r) => r.subject_id));
  }

  async requeueWrites(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('immich_writes')
      .set({ status: 'pending', error: null, finished_at: null })
      .where('id', 'in', [...ids])
      .where('status', '=', 'failed')
      .execute();
  }

  /** The library's latest write jobs (push and decisions), newest first, with their items' statuses. */
  async jobsOf(libraryId: string, limit: number): Promise<ImmichWriteJob[]> {
    const rows = await this.db
      .selectFrom('immich_writes')
      .select((eb) => [
        'job_id',
        'kind',
        'status',
        eb.fn.min('created_at').as('created_at'),
        eb.fn.countAll<string>().as('n'),
      ])
      .where('library_id', '=', libraryId)
      .where('job_id', 'is not', null)
      .groupBy(['job_id', 'kind', 'status'])
      .execute();
    const jobs = new Map<string, ImmichWriteJob>();
    for (const r of rows) {
      const id = r.job_id as string;
      const job = jobs.get(id) ?? { jobId: id, createdAt: r.created_at, kinds: [], statuses: {} };
      if (r.created_at < job.createdAt) job.createdAt = r.created_at;
      if (!job.kinds.includes(r.kind)) job.kinds.push(r.kind);
      job.statuses[r.status] = (job.statuses[r.status] ?? 0) + Number(r.n);
      jobs.set(id, job);
    }
    return [...jobs.values()]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.jobId < b.jobId ? -1 : 1))
      .slice(0, limit);
  }

  writesOfJob(jobId: string): Promise<ImmichWriteRow[]> {
    return this.db
      .selectFrom('immich_writes')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async finishWrite(
    id: string,
    status: ImmichWriteStatus,
    values: { immichId?: string | null; before?: Record<string, unknown>; error?: string | null } = {},
  ): Promise<void> {
    await this.db
      .updateTable('immich_writes')
      .set({
        status,
        finished_at: sql`now()`,
        ...(values.immichId !== undefined ? { immich_id: values.immichId } : {}),
        ...(values.before !== undefined ? { before: JSON.stringify(values.before) } : {}),
        ...(values.error !== undefined ? { error: values.error } : {}),
      })
      .where('id', '=', id)
      .execute();
  }
}

/** What a push can write for one library: photo-sync's groups, each with its asset ids in order. */
export interface PushCandidate {
  kind: 'stack' | 'album' | 'duplicate';
  subjectId: string;
  name: string | null;
  assetIds: string[];
}

function grouped(rows: readonly { subject: string; asset: string; name?: string | null }[]): PushCandidate[] {
  const out = new Map<string, { name: string | null; assetIds: string[] }>();
  for (const r of rows) {
    const entry = out.get(r.subject) ?? { name: r.name ?? null, assetIds: [] };
    entry.assetIds.push(r.asset);
    out.set(r.subject, entry);
  }
  return [...out].map(([subjectId, v]) => ({ kind: 'stack', subjectId, name: v.name, assetIds: v.assetIds }));
}

export class ImmichPushRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Version stacks (primary first) and bursts (recommended frame first) of the library. */
  async stacks(libraryId: string): Promise<PushCandidate[]> {
    const versions = await this.db
      .selectFrom('version_stack_members as m')
      .innerJoin('version_stacks as s', 's.id', 'm.stack_id')
      .innerJoin('assets as a', 'a.id', 'm.asset_id')
      .select(['s.id as subject', 'm.asset_id as asset'])
      .where('s.library_id', '=', libraryId)
      .where('a.status', '=', 'ready')
      .orderBy('s.id')
      .orderBy(sql`m.asset_id = s.primary_asset_id`, 'desc')
      .orderBy('m.rank')
      .execute();
    const bursts = await this.db
      .selectFrom('burst_frames as f')
      .innerJoin('bursts as b', 'b.id', 'f.burst_id')
      .innerJoin('assets as a', 'a.id', 'f.asset_id')
      .select(['b.id as subject', 'f.asset_id as asset'])
      .where('b.library_id', '=', libraryId)
      .where('a.status', '=', 'ready')
      .orderBy('b.id')
      .orderBy(sql`f.asset_id = b.recommended_asset_id`, 'desc')
      .orderBy('f.position')
      .execute();
    return [...grouped(versions), ...grouped(bursts)].filter((c) => c.assetIds.length >= 2);
  }

  /** Accepted suggestions: the album each became, with its assets of this library. */
  async albums(libraryId: string): Promise<PushCandidate[]> {
    const rows = await this.db
      .selectFrom('suggestions as s')
      .innerJoin('album_assets as aa', 'aa.album_id', 's.album_id')
      .innerJoin('assets as a', 'a.id', 'aa.asset_id')
      .select(['s.id as subject', 's.name', 'aa.asset_id as asset'])
      .where('s.library_id', '=', libraryId)
      .where('s.status', '=', 'accepted')
      .where('a.library_id', '=', libraryId)
      .where('a.status', '=', 'ready')
      .orderBy('s.id')
      .orderBy('a.sort_at')
      .execute();
    return grouped(rows).map((c) => ({ ...c, kind: 'album' as const }));
  }

  /** Open near-duplicate groups whose members are all in this library. */
  async duplicates(libraryId: string): Promise<PushCandidate[]> {
    const rows = await this.db
      .selectFrom('duplicate_group_members as m')
      .innerJoin('duplicate_groups as g', 'g.id', 'm.group_id')
      .innerJoin('assets as a', 'a.id', 'm.asset_id')
      .select(['g.id as subject', 'm.asset_id as asset', 'a.library_id'])
      .where('g.status', '=', 'open')
      .where('g.kind', 'in', ['exact', 'near'])
      .orderBy('g.id')
      .orderBy('m.rank')
      .execute();
    const foreign = new Set(rows.filter((r) => r.library_id !== libraryId).map((r) => r.subject));
    return grouped(rows.filter((r) => !foreign.has(r.subject))).map((c) => ({
      ...c,
      kind: 'duplicate' as const,
    }));
  }
}
