import { sql, type Kysely } from 'kysely';
import { epochMs } from '../epoch-ms.js';
import type { Database } from '../schema.js';

/** A file with a problem: unreadable or unrecognised (failed), or indexed with a defect. */
export interface ProblemRow {
  id: string;
  library_id: string;
  library_name: string;
  path: string;
  status: string;
  kind: string | null;
  problem_code: string;
  problem_message: string | null;
  attempts: number;
  size_bytes: number;
  updated_ms: number;
}

export interface MapCluster {
  /** Mean position of the photos in the cell. */
  latitude: number;
  longitude: number;
  count: number;
  /** The newest photo of the cell (its thumbnail stands for the cluster). */
  sample_id: string;
  sample_has_thumbnail: boolean;
  /** The cell's bounds, so a click can zoom to exactly these photos. */
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface BoundingBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface MapAssetRow {
  id: string;
  path: string;
  kind: string | null;
  latitude: number;
  longitude: number;
  sort_ms: number;
  has_thumbnail: boolean;
}

export interface Facets {
  cameras: { make: string | null; model: string; count: number }[];
  kinds: { kind: string; count: number }[];
  labels: { label: string; count: number }[];
  folders: { folder: string; count: number }[];
}

const uuidList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`));

/** Read models of the web app's explore views: problems, map, filter facets, capabilities. */
export class ExploreRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Files with a problem, most recently changed first (keyset on updated_at, id). */
  problems(q: {
    libraryIds: readonly string[];
    limit: number;
    after: { at: Date; id: string } | null;
    failedOnly?: boolean;
  }): Promise<ProblemRow[]> {
    let query = this.problemRows()
      .where('a.library_id', 'in', q.libraryIds)
      .where('a.problem_code', 'is not', null)
      .where('a.status', 'in', ['ready', 'failed']);
    if (q.failedOnly) query = query.where('a.status', '=', 'failed');
    const after = q.after;
    if (after)
      query = query.where((eb) => eb(eb.refTuple('a.updated_at', 'a.id'), '<', eb.tuple(after.at, after.id)));
    return query.orderBy('a.updated_at', 'desc').orderBy('a.id', 'desc').limit(q.limit).execute();
  }

  /** One problem row per asset, with its library's name: the shape both problem lists return. */
  private problemRows() {
    return this.db
      .selectFrom('assets as a')
      .innerJoin('libraries as l', 'l.id', 'a.library_id')
      .select([
        'a.id',
        'a.library_id',
        'l.name as library_name',
        'a.path',
        'a.status',
        'a.kind',
        sql<string>`a.problem_code`.as('problem_code'),
        'a.problem_message',
        'a.attempts',
        'a.size_bytes',
        epochMs('a.updated_at').as('updated_ms'),
      ]);
  }

  /** Problem counts by code, for the page's summary. */
  async problemCounts(libraryIds: readonly string[]): Promise<{ code: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select([sql<string>`problem_code`.as('code'), (eb) => eb.fn.countAll<string>().as('n')])
      .where('library_id', 'in', libraryIds)
      .where('problem_code', 'is not', null)
      .where('status', 'in', ['ready', 'failed'])
      .groupBy('problem_code')
      .orderBy('problem_code')
      .execute();
    return rows.map((r) => ({ code: r.code, count: Number(r.n) }));
  }

  /** Files of a library that failed while a job ran (its window: started → finished). */
  failuresDuring(q: { libraryId: string; from: Date; until: Date; limit: number }): Promise<ProblemRow[]> {
    return this.problemRows()
      .where('a.library_id', '=', q.libraryId)
      .where('a.status', '=', 'failed')
      .where('a.problem_code', 'is not', null)
      .where('a.updated_at', '>=', q.from)
      .where('a.updated_at', '<=', q.until)
      .orderBy('a.updated_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(q.limit)
      .execute();
  }

  /**
   * Geotagged photos grouped into a grid of `cellDegrees` cells inside `box`, one row per
   * non-empty cell (a hash aggregate over the geo index; at most `limit` cells, largest first).
   */
  async clusters(q: {
    libraryIds: readonly string[];
    box: BoundingBox;
    cellDegrees: number;
    limit: number;
  }): Promise<MapCluster[]> {
    const c = q.cellDegrees;
    // Aggregates of float8 read back as numbers or numeric text, depending on the driver.
    const { rows } = await sql<{
      latitude: number | string;
      longitude: number | string;
      n: string;
      sample: string;
      gy: number | string;
      gx: number | string;
    }>`
      select avg(lat) as latitude, avg(lon) as longitude, count(*) as n, gy, gx,
        (array_agg(id order by sort_at desc, id desc))[1]::text as sample
      from (
        select a.id, a.sort_at, a.gps_latitude as lat, a.gps_longitude as lon,
          floor(a.gps_latitude / ${c}::float8) as gy, floor(a.gps_longitude / ${c}::float8) as gx
        from assets a
        where a.library_id in (${uuidList(q.libraryIds)}) and a.status = 'ready'
          and a.gps_latitude is not null and a.gps_longitude is not null
          and a.gps_latitude between ${q.box.south}::float8 and ${q.box.north}::float8
          and a.gps_longitude between ${q.box.west}::float8 and ${q.box.east}::float8
          and a.kind is distinct from 'xmp'
      ) cells
      group by gy, gx
      order by count(*) desc
      limit ${q.limit}`.execute(this.db);
    if (rows.length === 0) return [];
    const thumbs = await this.db
      .selectFrom('assets')
      .select(['id', 'has_thumbnail'])
      .where(
        'id',
        'in',
        rows.map((r) => r.sample),
      )
      .execute();
    const hasThumb = new Map(thumbs.map((t) => [t.id, t.has_thumbnail]));
    return rows.map((r) => ({
      latitude: Number(r.latitude),
      longitude: Number(r.longitude),
      count: Number(r.n),
      sample_id: r.sample,
      sample_has_thumbnail: hasThumb.get(r.sample) ?? false,
      south: Number(r.gy) * c,
      west: Number(r.gx) * c,
      north: (Number(r.gy) + 1) * c,
      east: (Number(r.gx) + 1) * c,
    }));
  }

  /** The photos inside `box`, newest first (what a clicked cluster opens). */
  mapAssets(q: { libraryIds: readonly string[]; box: BoundingBox; limit: number }): Promise<MapAssetRow[]> {
    return this.db
      .selectFrom('assets')
      .select([
        'id',
        'path',
        'kind',
        sql<number>`gps_latitude`.as('latitude'),
        sql<number>`gps_longitude`.as('longitude'),
        epochMs('sort_at').as('sort_ms'),
        'has_thumbnail',
      ])
      .where('library_id', 'in', q.libraryIds)
      .where('status', '=', 'ready')
      .where('gps_latitude', 'is not', null)
      .where('gps_longitude', 'is not', null)
      .where('gps_latitude', '>=', q.box.south)
      .where('gps_latitude', '<=', q.box.north)
      .where('gps_longitude', '>=', q.box.west)
      .where('gps_longitude', '<=', q.box.east)
      .orderBy('sort_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .execute();
  }

  /** What the timeline's filter bar offers: cameras, kinds, quality labels and folders in use. */
  async facets(libraryIds: readonly string[]): Promise<Facets> {
    const libs = uuidList(libraryIds);
    const [cameras, kinds, labels, folders] = await Promise.all([
      sql<{ make: string | null; model: string; n: string }>`
        select min(make) as make, model, count(*) as n from assets
        where library_id in (${libs}) and status = 'ready' and model is not null
        group by model order by count(*) desc, model limit 200`.execute(this.db),
      sql<{ kind: string; n: string }>`
        select kind, count(*) as n from assets
        where library_id in (${libs}) and status = 'ready' and kind is not null and kind <> 'xmp'
        group by kind order by count(*) desc, kind`.execute(this.db),
      sql<{ label: string; n: string }>`
        select l.label, count(*) as n from assets a
        cross join lateral jsonb_array_elements_text(a.quality_labels) as l(label)
        where a.library_id in (${libs}) and a.status = 'ready' and a.quality_labels <> '[]'::jsonb
        group by l.label order by count(*) desc, l.label`.execute(this.db),
      sql<{ folder: string; n: string }>`
        select left(path, length(path) - strpos(reverse(path), '/')) as folder, count(*) as n
        from assets
        where library_id in (${libs}) and status = 'ready' and kind is distinct from 'xmp'
        group by 1 order by 1 limit 500`.execute(this.db),
    ]);
    return {
      cameras: cameras.rows.map((r) => ({ make: r.make, model: r.model, count: Number(r.n) })),
      kinds: kinds.rows.map((r) => ({ kind: r.kind, count: Number(r.n) })),
      labels: labels.rows.map((r) => ({ label: r.label, count: Number(r.n) })),
      folders: folders.rows.map((r) => ({ folder: r.folder, count: Number(r.n) })),
    };
  }

  /** Videos indexed without a thumbnail because ffmpeg was missing when they were read. */
  async videosNeedingFfmpeg(libraryIds: readonly string[]): Promise<number> {
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('library_id', 'in', libraryIds)
      .where('problem_code', '=', 'needs-ffmpeg')
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
