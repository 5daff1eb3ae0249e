import type { AssetRow } from '../db/repositories/asset.repository.js';
import type {
  DuplicateGroupRow,
  DuplicateRepository,
  GroupSort,
} from '../db/repositories/duplicate.repository.js';
import type { DuplicateGroupStatus, DuplicateKind } from '../db/schema.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import { computeExactGroups } from './exact-duplicate-analysis.js';
import type { NearDuplicateAnalysis } from './near-duplicate-analysis.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';
import type { ActionService } from './action.service.js';
import type { RequestOrigin } from './auth/principal.js';
import type { SettingsSource } from './settings.service.js';
import { thresholdsForSettings } from '../domain/near-duplicate-codec.js';

export type DecisionInput =
  { action: 'keep'; keepAssetIds: string[] } | { action: 'not-duplicate' } | { action: 'dismiss' };

export interface DuplicateGroupDetail {
  group: DuplicateGroupRow;
  members: (AssetRow & {
    rank: number;
    similarity: number;
    is_keeper: boolean;
    keeper_reason: string | null;
  })[];
}

export class DuplicateService {
  constructor(
    private readonly repo: DuplicateRepository,
    private readonly near: NearDuplicateAnalysis,
    /** Thresholds and keeper rules are read when an analysis starts (runtime settings). */
    private readonly settings: SettingsSource,
    private readonly queue: JobQueue,
    private readonly access: LibraryAccess,
    private readonly actions: ActionService,
  ) {}

  /** Queues an analysis unless one is already waiting (a burst of scans needs only one). */
  requestAnalysis(): Promise<string> {
    return this.queue.enqueue('duplicates.analyse', {}, { dedupe: true });
  }

  /**
   * After a threshold change: stored edges were classified (and those below the similar threshold
   * dropped) under the old thresholds, so every picture is matched again by the next analysis —
   * from the stored signatures, without reading a file.
   */
  async rematchAll(): Promise<string> {
    await this.repo.forgetMatches();
    return this.requestAnalysis();
  }

  /** Recomputes exact and near/similar groups; near duplicates only verify pairs of new assets. */
  async analyse(ctx: JobContext): Promise<void> {
    const settings = await this.settings.effective();
    const thresholds = thresholdsForSettings(settings.duplicateThreshold, settings.similarThreshold);
    const exact = await computeExactGroups(this.repo, settings.keeperRules.exact);
    await this.repo.replaceGroups(['exact'], exact);
    // Progress counts the pictures matched against the index (the part that grows with new files).
    const newEdges = await this.near.updateEdges(ctx, thresholds);
    const nearGroups = await this.near.computeGroups(settings.keeperRules.near, thresholds);
    await this.repo.replaceGroups(['near', 'similar'], nearGroups);
    ctx.log.info(
      {
        exactGroups: exact.length,
        nearGroups: nearGroups.filter((g) => g.kind === 'near').length,
        similarGroups: nearGroups.filter((g) => g.kind === 'similar').length,
        newEdges,
      },
      'duplicate analysis finished',
    );
  }

  async list(
    who: Principal,
    q: {
      kind?: DuplicateKind;
      libraryId?: string;
      status: DuplicateGroupStatus;
      sort: GroupSort;
      limit: number;
      after: { value: number; id: string } | null;
    },
  ): Promise<{ items: DuplicateGroupRow[]; next: { value: number; id: string } | null }> {
    const libraryIds = await this.access.visibleIds(who);
    if (libraryIds.length === 0) return { items: [], next: null };
    return this.repo.listPage({ ...q, libraryIds, limit: q.limit + 1 }).then((rows) => {
      const items = rows.slice(0, q.limit);
      const last = items.at(-1);
      const value = (g: DuplicateGroupRow) =>
        q.sort === 'newest'
          ? g.newest_at.getTime()
          : q.sort === 'space'
            ? g.bytes_reclaimable
            : g.min_similarity;
      return { items, next: rows.length > q.limit && last ? { value: value(last), id: last.id } : null };
    });
  }

  /** A group is visible when every member is in a library the caller can see. */
  async get(who: Principal, id: string, need: 'viewer' | 'editor' = 'viewer'): Promise<DuplicateGroupDetail> {
    const group = await this.repo.findById(id);
    if (!group) throw new NotFoundError(`Duplicate group ${id} not found`);
    const members = await this.repo.members(id);
    await this.access.requireAll(
      who,
      members.map((m) => m.library_id),
      need,
      `Duplicate group ${id}`,
    );
    return { group, members };
  }

  /**
   * Records the user's decision. `keep` names the copies to keep (applying removals comes with the
   * actions feature); `not-duplicate` is remembered pairwise so no later analysis proposes these
   * files together again; `dismiss` hides the group while its membership is unchanged.
   */
  async decide(who: Principal, id: string, input: DecisionInput): Promise<DuplicateGroupDetail> {
    const detail = await this.get(who, id, 'editor');
    const memberIds = detail.members.map((m) => m.id);
    if (detail.group.status !== 'open')
      throw new ConflictError(`Group ${id} already has a decision (${detail.group.status}).`);
    if (input.action === 'keep') {
      const unknown = input.keepAssetIds.filter((k) => !memberIds.includes(k));
      if (input.keepAssetIds.length === 0 || unknown.length > 0)
        throw new InvalidInputError(
          unknown.length > 0
            ? `keepAssetIds must be members of the group; not members: ${unknown.join(', ')}`
            : 'keepAssetIds must name at least one member to keep.',
        );
    }
    if (input.action === 'not-duplicate') {
      const pairs: [string, string][] = [];
      for (let i = 0; i < memberIds.length; i++)
        for (let j = i + 1; j < memberIds.length; j++)
          pairs.push([memberIds[i] as string, memberIds[j] as string]);
      await this.repo.addNotDuplicatePairs(pairs);
    }
    const status: DuplicateGroupStatus =
      input.action === 'keep' ? 'kept' : input.action === 'dismiss' ? 'dismissed' : 'not-duplicate';
    await this.repo.recordDecision({
      group: detail.group,
      action: input.action,
      keepAssetIds: input.action === 'keep' ? input.keepAssetIds : [],
      memberAssetIds: memberIds,
      status,
    });
    return this.get(who, id);
  }

  /**
   * Keeps `keepAssetIds` and removes every other member: records the decision (if still open), then
   * queues the action job. Applying the same group twice at once: exactly one request wins (409).
   */
  async apply(
    who: Principal,
    id: string,
    keepAssetIds: string[],
    origin: RequestOrigin,
  ): Promise<{ jobId: string }> {
    const detail = await this.get(who, id, 'editor');
    const memberIds = detail.members.map((m) => m.id);
    const unknown = keepAssetIds.filter((k) => !memberIds.includes(k));
    if (keepAssetIds.length === 0 || unknown.length > 0)
      throw new InvalidInputError(
        unknown.length > 0
          ? `keepAssetIds must be members of the group; not members: ${unknown.join(', ')}`
          : 'keepAssetIds must name at least one member to keep.',
      );
    if (detail.group.status === 'dismissed' || detail.group.status === 'not-duplicate')
      throw new ConflictError(`Group ${id} was marked ${detail.group.status}; nothing to apply.`);
    const remove = detail.members.filter((m) => !keepAssetIds.includes(m.id) && m.status !== 'trashed');
    if (remove.length === 0) throw new ConflictError(`Group ${id} has nothing left to remove.`);
    const { jobId } = await this.actions.requestRemovals(
      who,
      remove.map((m) => ({
        assetId: m.id,
        keepAssetIds,
        source: 'duplicates',
        sourceId: id,
        reason: `${detail.group.kind} duplicate`,
      })),
      origin,
    );
    if (detail.group.status === 'open')
      await this.repo.recordDecision({
        group: detail.group,
        action: 'keep',
        keepAssetIds,
        memberAssetIds: memberIds,
        status: 'kept',
      });
    return { jobId };
  }
}
