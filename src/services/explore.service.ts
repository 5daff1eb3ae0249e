import type { AssetRepository } from '../db/repositories/asset.repository.js';
import type {
  BoundingBox,
  ExploreRepository,
  Facets,
  MapAssetRow,
  MapCluster,
  ProblemRow,
} from '../db/repositories/explore.repository.js';
import type { Principal } from './auth/principal.js';
import { scopeOfCaller, type ScopeRequest } from './caller-scope.js';
import type { JobService } from './job.service.js';
import type { LibraryAccess } from './library-access.js';
import { pageOf } from './page.js';

/** One file a job could not process, and why. */
export interface JobFailure {
  assetId: string | null;
  path: string;
  code: string | null;
  reason: string;
}

/** Cells at most per map answer: a screen shows a few hundred clusters at the very most. */
const MAX_CLUSTERS = 2000;
/** Failed files a job lists (the Problems page has them all). */
const MAX_JOB_FAILURES = 50;

/** Degrees per cluster cell at a zoom level: the world is 8 cells wide at zoom 0, halving per level. */
export function cellDegreesAt(zoom: number): number {
  return 45 / 2 ** zoom;
}

/**
 * The web app's explore views: files with problems (Problems page, and the files a job failed
 * on), geotagged photos on a map, what the timeline filter offers, and what the server can do.
 */
export class ExploreService {
  constructor(
    private readonly repo: ExploreRepository,
    private readonly assets: AssetRepository,
    private readonly jobs: JobService,
    private readonly access: LibraryAccess,
    /** Whether this process found ffmpeg and ffprobe (null: it does not read media itself). */
    private readonly ffmpegAvailable: boolean | null,
  ) {}

  async problems(
    who: Principal,
    q: ScopeRequest & { limit: number; after: { at: Date; id: string } | null; failedOnly?: boolean },
  ): Promise<{
    items: ProblemRow[];
    next: { at: Date; id: string } | null;
    counts: { code: string; count: number }[];
  }> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { items: [], next: null, counts: [] };
    const [rows, counts] = await Promise.all([
      this.repo.problems({
        libraryIds: scope.libraryIds,
        limit: q.limit + 1,
        after: q.after,
        ...(q.failedOnly ? { failedOnly: true } : {}),
      }),
      q.after ? Promise.resolve([]) : this.repo.problemCounts(scope.libraryIds),
    ]);
    return { ...pageOf(rows, q.limit, (r) => ({ at: new Date(r.updated_ms), id: r.id })), counts };
  }

  /**
   * The files a job failed on: the failed items of a removal job, or the files of the job's
   * library that failed to index while it ran (a scan or sync).
   */
  async jobFailures(who: Principal, jobId: string): Promise<JobFailure[]> {
    const { job, results } = await this.jobs.get(who, jobId);
    if (results) {
      const failed = results.filter((r) => r.status === 'failed').slice(0, MAX_JOB_FAILURES);
      const paths = new Map<string, string>();
      for (const r of failed) {
        const asset = await this.assets.findById(r.asset_id);
        if (asset) paths.set(r.asset_id, asset.path);
      }
      return failed.map((r) => ({
        assetId: r.asset_id,
        path: paths.get(r.asset_id) ?? `asset ${r.asset_id}`,
        code: null,
        reason: r.error ?? 'The removal failed.',
      }));
    }
    if (!job.library_id || !job.started_at) return [];
    const rows = await this.repo.failuresDuring({
      libraryId: job.library_id,
      from: job.started_at,
      until: new Date((job.finished_at ?? new Date()).getTime() + 1000),
      limit: MAX_JOB_FAILURES,
    });
    return rows.map((r) => ({
      assetId: r.id,
      path: r.path,
      code: r.problem_code,
      reason: r.problem_message ?? r.problem_code,
    }));
  }

  async clusters(
    who: Principal,
    q: ScopeRequest & { box: BoundingBox; zoom: number },
  ): Promise<{ cellDegrees: number; clusters: MapCluster[] }> {
    const cellDegrees = cellDegreesAt(q.zoom);
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { cellDegrees, clusters: [] };
    const clusters = await this.repo.clusters({
      libraryIds: scope.libraryIds,
      box: q.box,
      cellDegrees,
      limit: MAX_CLUSTERS,
    });
    return { cellDegrees, clusters };
  }

  async mapAssets(
    who: Principal,
    q: ScopeRequest & { box: BoundingBox; limit: number },
  ): Promise<MapAssetRow[]> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return [];
    return this.repo.mapAssets({ libraryIds: scope.libraryIds, box: q.box, limit: q.limit });
  }

  async facets(who: Principal, q: ScopeRequest): Promise<Facets> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { cameras: [], kinds: [], labels: [], folders: [] };
    return this.repo.facets(scope.libraryIds);
  }

  /** What the server can do, and what the caller's libraries are missing because of it. */
  async capabilities(who: Principal): Promise<{ ffmpeg: boolean | null; videosNeedingFfmpeg: number }> {
    const libraryIds = await this.access.visibleIds(who);
    const videosNeedingFfmpeg = libraryIds.length ? await this.repo.videosNeedingFfmpeg(libraryIds) : 0;
    return { ffmpeg: this.ffmpegAvailable, videosNeedingFfmpeg };
  }
}
