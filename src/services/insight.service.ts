import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { BurstRepository } from '../db/repositories/burst.repository.js';
import type { ImportBatchRepository, ImportBatchRow } from '../db/repositories/import-batch.repository.js';
import type {
  InsightAssetRepository,
  QualityPageQuery,
} from '../db/repositories/insight-asset.repository.js';
import type { SuggestionRepository } from '../db/repositories/suggestion.repository.js';
import type { VersionRepository } from '../db/repositories/version.repository.js';
import { groupKey } from '../domain/group-key.js';
import { analyseInsights, type InsightSettings } from '../domain/insights/analyse-insights.js';
import { plausiblePosition } from '../domain/insights/capture-sanity.js';
import type { CityLookup } from '../domain/insights/place-clustering.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { Principal } from './auth/principal.js';
import { scopeOfCaller, type ScopeRequest } from './caller-scope.js';
import { insightSubjectOf } from './insight-subject.js';
import type { LibraryAccess } from './library-access.js';

export interface InsightRepositories {
  assets: InsightAssetRepository;
  batches: ImportBatchRepository;
  versions: VersionRepository;
  bursts: BurstRepository;
  suggestions: SuggestionRepository;
}

const noCity: CityLookup = () => null;

const ANALYSIS_STEPS = 6;

/**
 * Recomputes a library's versions, bursts, quality scores and suggestions from its assets. Pure
 * recomputation over the database state, so running it twice changes nothing the second time;
 * stacks, bursts and suggestions whose member set is unchanged keep their ids and decisions.
 */
export class InsightService {
  constructor(
    private readonly repos: InsightRepositories,
    /** Read when an analysis starts: the insight windows and radius are runtime settings. */
    private readonly settings: () => Promise<InsightSettings>,
    private readonly queue: JobQueue,
    /** Loads the offline gazetteer (only when some photo has a usable position). */
    private readonly loadCities: () => Promise<CityLookup>,
    private readonly access: LibraryAccess,
  ) {}

  /** After a scan: what it added becomes an import batch, then the library is analysed. */
  async afterScan(libraryId: string, jobId: string | null): Promise<ImportBatchRow | null> {
    const batch = await this.repos.batches.closeBatch(libraryId, jobId);
    await this.requestAnalysis(libraryId);
    return batch;
  }

  /** What a scan added (and nothing holds yet) becomes one import batch. */
  recordBatch(libraryId: string, scanJobId: string): Promise<ImportBatchRow | null> {
    return this.repos.batches.closeBatch(libraryId, scanJobId);
  }

  requestAnalysis(libraryId: string): Promise<string> {
    return this.queue.enqueue('insights.analyse', { libraryId }, { libraryId, dedupe: true });
  }

  async analyse(libraryId: string, ctx: JobContext): Promise<void> {
    // Progress in steps (read, analyse, quality, versions, bursts, suggestions): the analysis is
    // one pass over every photo, so there is no per-photo count to show.
    let step = 0;
    const stepDone = () => ctx.reportProgress({ total: ANALYSIS_STEPS, done: ++step, failed: 0 });
    await ctx.reportProgress({ total: ANALYSIS_STEPS, done: 0, failed: 0 });
    const rows = await this.repos.assets.readyAssets(libraryId);
    await stepDone();
    const subjects = rows.map(insightSubjectOf);
    const hasPositions = subjects.some((s) => plausiblePosition(s.gpsLatitude, s.gpsLongitude) !== null);
    const cityOf = hasPositions ? await this.loadCities() : noCity;
    const insights = analyseInsights(subjects, await this.settings(), {
      primaryOverrides: await this.repos.versions.primaryOverrides(),
      cityOf,
      nowMs: Date.now(),
      organised: new Set(rows.filter((r) => r.in_album).map((r) => r.id)),
    });
    await stepDone();
    const byId = new Map(rows.map((r) => [r.id, r]));

    const current = new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, score: r.quality_score, labels: r.quality_labels, flags: r.quality_flags },
      ]),
    );
    const rescored = await this.repos.assets.writeQuality(
      rows.map((r) => {
        const q = insights.quality.get(r.id);
        return { id: r.id, score: q?.score ?? null, labels: q?.labels ?? [], flags: q?.flags ?? [] };
      }),
      current,
    );
    await stepDone();
    await this.repos.versions.replaceStacks(
      libraryId,
      insights.versions.map((v) => ({
        stackKey: groupKey('versions', v.memberIds),
        primaryAssetId: v.primaryId,
        autoPrimaryAssetId: v.autoPrimaryId,
        reasons: v.reasons,
        memberIds: v.memberIds,
      })),
    );
    await stepDone();
    await this.repos.bursts.replaceBursts(
      libraryId,
      insights.bursts.map((b) => ({
        burstKey: groupKey('burst', b.frameIds),
        cameraBurstId: b.cameraBurstId,
        recommendedAssetId: b.recommendedId,
        bytesReclaimable: b.frameIds
          .filter((id) => id !== b.recommendedId)
          .reduce((s, id) => s + (byId.get(id)?.size_bytes ?? 0), 0),
        firstAt: byId.get(b.frameIds[0] as string)?.sort_at ?? new Date(0),
        frames: b.frameIds.map((id) => ({ assetId: id, score: b.scores[id] ?? 0 })),
      })),
    );
    await stepDone();
    await this.repos.suggestions.replaceOpen(
      libraryId,
      insights.suggestions.map((s) => ({
        // Library-qualified: the album made from it is unique per key.
        key: `${libraryId}:${s.key}`,
        kind: s.kind,
        name: s.name,
        startsAt: s.startMs === null ? null : new Date(s.startMs),
        endsAt: s.endMs === null ? null : new Date(s.endMs),
        latitude: s.centre?.latitude ?? null,
        longitude: s.centre?.longitude ?? null,
        assetIds: s.assetIds,
      })),
    );
    await stepDone();
    ctx.log.info(
      {
        libraryId,
        assets: rows.length,
        versionStacks: insights.versions.length,
        bursts: insights.bursts.length,
        flagged: [...insights.quality.values()].filter((q) => q.labels.length > 0).length,
        rescored,
        suggestions: insights.suggestions.length,
      },
      'insight analysis finished',
    );
  }

  /** Scored assets, lowest score first: flagged ones by default, or by score ceiling and/or label. */
  async listQuality(
    who: Principal,
    q: ScopeRequest & Omit<QualityPageQuery, 'libraryIds' | 'batchId'>,
  ): Promise<{ items: AssetRow[]; next: { value: number; id: string } | null }> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { items: [], next: null };
    const rows = await this.repos.assets.qualityPage({
      ...scope,
      ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
      ...(q.label !== undefined ? { label: q.label } : {}),
      after: q.after,
      limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items,
      next: rows.length > q.limit && last ? { value: last.quality_score ?? 0, id: last.id } : null,
    };
  }

  async listBatches(
    who: Principal,
    libraryId: string | undefined,
    limit: number,
    before: { at: Date; id: string } | null,
  ): Promise<ImportBatchRow[]> {
    const scope = await scopeOfCaller(this.access, who, { library: libraryId });
    return scope ? this.repos.batches.list(scope.libraryIds, limit, before) : [];
  }

  /** A re-analysis on request changes the library's groups: editors only. */
  async requestAnalysisFor(who: Principal, libraryId: string): Promise<string> {
    await this.access.require(who, libraryId, 'editor');
    return this.requestAnalysis(libraryId);
  }
}
