import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { chunksOf, queryInChunks } from '../chunks.js';
import { epochMs } from '../epoch-ms.js';
import type { AssetStatus, AssetTable, Database } from '../schema.js';

export type AssetRow = Selectable<AssetTable>;

/**
 * The columns a list shows (what `presentAsset` reads, plus the keyset column): no signature blob
 * (kilobytes per row) and nothing internal. Every column costs parsing on each of a page's rows,
 * so a column joins this list only when the API presents it.
 */
const listColumns = [
  'id',
  'library_id',
  'path',
  'mtime_ms',
  'status',
  'kind',
  'mime',
  'size_bytes',
  'sha256',
  'problem_code',
  'problem_message',
  'sort_at',
  'captured_at',
  'capture_local',
  'capture_offset_minutes',
  'make',
  'model',
  'body_serial',
  'lens',
  'exposure_time',
  'f_number',
  'iso',
  'focal_length',
  'burst_id',
  'sequence_number',
  'content_identifier',
  'gps_latitude',
  'gps_longitude',
  'gps_altitude',
  'orientation',
  'width',
  'height',
  'rating',
  'description',
  'duration_seconds',
  'phash',
  'quality',
  'quality_score',
  'quality_labels',
  'quality_flags',
  'import_batch_id',
  'has_thumbnail',
  'ingested_at',
] as const satisfies readonly Exclude<keyof AssetTable, 'signatures'>[];

/** An asset as lists show it (see `listColumns`). */
export type AssetListRow = Pick<AssetRow, (typeof listColumns)[number]>;

/** The list's timestamp columns travel as epoch milliseconds (see db/epoch-ms.ts). */
const listTimestamps = ['sort_at', 'captured_at', 'ingested_at'] as const;
type ListTimestamp = (typeof listTimestamps)[number];
const listPlainColumns = listColumns.filter(
  (c): c is Exclude<(typeof listColumns)[number], ListTimestamp> =>
    !(listTimestamps as readonly string[]).includes(c),
);
const listTimestampsAsEpochMs = listTimestamps.map((c) => epochMs<number | null>(c).as(c));

/** Rows read with `listTimestampsAsEpochMs`, turned into list rows in place (no copy of the row). */
function withListDates(rows: Record<string, unknown>[]): AssetListRow[] {
  for (const row of rows)
    for (const c of listTimestamps) {
      const ms = row[c];
      if (typeof ms === 'number') row[c] = new Date(ms);
    }
  return rows as unknown as AssetListRow[];
}

export type AssetUpdate = Updateable<AssetTable>;

/** What the scanner needs to know about a file it has seen before. */
export interface KnownFile {
  id: string;
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  inode: string;
  status: AssetStatus;
  problemCode: string | null;
}

export type PendingRow = Pick<
  AssetRow,
  'id' | 'library_id' | 'path' | 'size_bytes' | 'mtime_ms' | 'inode' | 'attempts' | 'ingested_at'
>;

export interface DiscoveredFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  inode: string;
}

export interface AssetPageQuery {
  limit: number;
  after: { sortAt: Date; id: string } | null;
  libraryId?: string;
  /** Only assets of these libraries (the caller's); must not be empty. */
  libraryIds: readonly string[];
  status: AssetStatus;
}

export class AssetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<AssetRow | undefined> {
    return this.db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByPath(libraryId: string, path: string): Promise<AssetRow | undefined> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .where('library_id', '=', libraryId)
      .where('path', '=', path)
      .executeTakeFirst();
  }

  async knownFiles(libraryId: string): Promise<Map<string, KnownFile>> {
    const rows = await this.db
      .selectFrom('assets')
      .select(['id', 'path', 'size_bytes', 'mtime_ms', 'inode', 'status', 'problem_code'])
      .where('library_id', '=', libraryId)
      // A trashed file is not in the library any more: never "missing", never rescanned.
      .where('status', '!=', 'trashed')
      .execute();
    return new Map(
      rows.map((r) => [
        r.path,
        {
          id: r.id,
          path: r.path,
          sizeBytes: r.size_bytes,
          mtimeMs: r.mtime_ms,
          inode: r.inode,
          status: r.status,
          problemCode: r.problem_code,
        },
      ]),
    );
  }

  /**
   * New files become pending rows; a known path whose size/mtime/inode changed goes back to pending.
   * Idempotent: re-running a scan after a crash inserts nothing twice (unique library_id+path).
   */
  async upsertPending(libraryId: string, files: readonly DiscoveredFile[]): Promise<void> {
    if (files.length === 0) return;
    const values: Insertable<AssetTable>[] = files.map((f) => ({
      library_id: libraryId,
      path: f.path,
      size_bytes: f.sizeBytes,
      mtime_ms: f.mtimeMs,
      inode: f.inode,
      status: 'pending',
      sort_at: new Date(f.mtimeMs),
    }));
    // Eight parameters a row (seven values and the conflict's status).
    for (const chunk of chunksOf(values, 8))
      await this.db
        .insertInto('assets')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['library_id', 'path']).doUpdateSet((eb) => ({
            size_bytes: eb.ref('excluded.size_bytes'),
            mtime_ms: eb.ref('excluded.mtime_ms'),
            inode: eb.ref('excluded.inode'),
            status: 'pending',
            updated_at: sql`now()`,
          })),
        )
        .execute();
  }

  /** Rows of the library not seen by a complete walk are missing (kept, so a move can reclaim them). */
  async markMissingExcept(
    libraryId: string,
    seenIds: ReadonlySet<string>,
    knownIds: readonly string[],
  ): Promise<number> {
    const gone = knownIds.filter((id) => !seenIds.has(id));
    let count = 0;
    for (const chunk of chunksOf(gone)) {
      const res = await this.db
        .updateTable('assets')
        .set({ status: 'missing', updated_at: sql`now()` })
        .where('id', 'in', chunk)
        .where('status', '!=', 'missing')
        .executeTakeFirst();
      count += Number(res.numUpdatedRows);
    }
    return count;
  }

  /** The file at `path`, or every file under it when it was a folder, is gone. */
  async markMissingByPath(libraryId: string, path: string): Promise<void> {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    await this.db
      .updateTable('assets')
      .set({ status: 'missing', updated_at: sql`now()` })
      .where('library_id', '=', libraryId)
      .where('status', 'not in', ['missing', 'trashed'])
      .where((eb) =>
        eb.or([eb('path', '=', path), eb(sql<string>`left(path, ${prefix.length})`, '=', prefix)]),
      )
      .execute();
  }

  /** The ids of the pending rows, in path order (a scan splits them into ingest batches). */
  async pendingIds(libraryId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('library_id', '=', libraryId)
      .where('status', '=', 'pending')
      .orderBy('path')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Those of `ids` still pending: a batch run again after a crash skips what was indexed. */
  pendingRowsByIds(ids: readonly string[]): Promise<PendingRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('assets')
      .select(['id', 'library_id', 'path', 'size_bytes', 'mtime_ms', 'inode', 'attempts', 'ingested_at'])
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .orderBy('path')
      .execute();
  }

  /** Everything ingest needs of the pending rows, in one query (not one per file). */
  pendingRows(libraryId: string): Promise<PendingRow[]> {
    return this.db
      .selectFrom('assets')
      .select(['id', 'library_id', 'path', 'size_bytes', 'mtime_ms', 'inode', 'attempts', 'ingested_at'])
      .where('library_id', '=', libraryId)
      .where('status', '=', 'pending')
      .orderBy('path')
      .execute();
  }

  /**
   * Assets of the library (ready or missing) holding any of these contents: the possible origins of
   * moved files, for a whole group of analysed files in one query, keyed `${sha256}:${size}`.
   */
  async moveCandidatesFor(
    libraryId: string,
    contents: readonly { sha256: string; sizeBytes: number }[],
  ): Promise<Map<string, AssetRow[]>> {
    const byContent = new Map<string, AssetRow[]>();
    if (contents.length === 0) return byContent;
    const rows = await queryInChunks([...new Set(contents.map((c) => c.sha256))], (shas) =>
      this.db
        .selectFrom('assets')
        .selectAll()
        .where('library_id', '=', libraryId)
        .where('sha256', 'in', shas)
        .where('status', 'in', ['ready', 'missing'])
        .execute(),
    );
    for (const row of rows) {
      const key = `${row.sha256}:${row.size_bytes}`;
      byContent.set(key, [...(byContent.get(key) ?? []), row]);
    }
    return byContent;
  }

  /**
   * Many rows' updates in one statement: the values travel as one JSON array that PostgreSQL turns
   * into rows of the assets type itself (jsonb_populate_recordset), so every column keeps its own
   * type without a cast list here. Every update must set the same columns.
   */
  async updateMany(updates: readonly { id: string; values: AssetUpdate }[]): Promise<void> {
    const first = updates[0];
    if (!first) return;
    const columns = Object.keys(first.values).sort() as (keyof AssetUpdate)[];
    const signature = columns.join(',');
    for (const u of updates) {
      if (Object.keys(u.values).sort().join(',') !== signature)
        throw new Error('updateMany: every update must set the same columns');
    }
    const json = JSON.stringify(
      updates.map((u) => {
        const row: Record<string, unknown> = { id: u.id };
        for (const c of columns) row[c] = jsonColumnValue(c, u.values[c]);
        return row;
      }),
    );
    const assignments = sql.join(columns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`));
    await sql`
      update assets as a set ${assignments}, updated_at = now()
      from jsonb_populate_recordset(null::assets, ${json}::jsonb) as v
      where a.id = v.id`.execute(this.db);
  }

  async update(id: string, values: AssetUpdate): Promise<void> {
    await this.db
      .updateTable('assets')
      .set({ ...values, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * A file found at a new path is an asset we already know that moved: the old row takes the new
   * path (keeping its id, and with it every decision and album membership) and the placeholder
   * row created by the scan goes away. One transaction, so a crash leaves one row or the other.
   */
  async adoptMovedFile(originId: string, placeholderId: string, file: DiscoveredFile): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('assets').where('id', '=', placeholderId).execute();
      await trx
        .updateTable('assets')
        .set({
          path: file.path,
          size_bytes: file.sizeBytes,
          mtime_ms: file.mtimeMs,
          inode: file.inode,
          status: 'ready',
          updated_at: sql`now()`,
        })
        .where('id', '=', originId)
        .execute();
    });
  }

  async deleteById(id: string): Promise<void> {
    await this.db.deleteFrom('assets').where('id', '=', id).execute();
  }

  /** Timeline order: newest capture first; keyset pagination on (sort_at, id). */
  async listPage(q: AssetPageQuery): Promise<AssetListRow[]> {
    let query = this.db
      .selectFrom('assets')
      .select([...listPlainColumns, ...listTimestampsAsEpochMs])
      .where('status', '=', q.status)
      .where('library_id', 'in', q.libraryIds);
    if (q.libraryId) query = query.where('library_id', '=', q.libraryId);
    if (q.status === 'ready') query = query.where('kind', '!=', 'xmp');
    const after = q.after;
    // A row comparison, not `sort_at < x or (sort_at = x and id < y)`: PostgreSQL turns it into an
    // index condition, so page 1,000 starts where page 999 ended instead of filtering every row
    // before it (0.1 ms instead of 200+ ms deep in 100,000 assets).
    if (after)
      query = query.where((eb) => eb(eb.refTuple('sort_at', 'id'), '<', eb.tuple(after.sortAt, after.id)));
    // Qualified: a bare `sort_at` would name the epoch-ms output column (no index order).
    const rows = await query
      .orderBy('assets.sort_at', 'desc')
      .orderBy('assets.id', 'desc')
      .limit(q.limit)
      .execute();
    return withListDates(rows);
  }

  async countByStatus(libraryId: string): Promise<Record<AssetStatus, number>> {
    const rows = await this.db
      .selectFrom('assets')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('library_id', '=', libraryId)
      .groupBy('status')
      .execute();
    const out: Record<AssetStatus, number> = { pending: 0, ready: 0, failed: 0, missing: 0, trashed: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}

/**
 * A column value as jsonb_populate_recordset reads it: bytea from its hex text form, jsonb columns
 * as the JSON they hold (the update carries them serialised), everything else as JSON.stringify
 * writes it (dates become ISO timestamps).
 */
function jsonColumnValue(column: string, value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (JSON_COLUMNS.has(column) && typeof value === 'string') return JSON.parse(value) as unknown;
  return value;
}
const JSON_COLUMNS = new Set(['quality', 'quality_labels', 'quality_flags', 'tags']);
