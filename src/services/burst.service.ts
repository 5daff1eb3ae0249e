import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { BurstRepository, BurstRow } from '../db/repositories/burst.repository.js';
import type { DecisionRepository } from '../db/repositories/decision.repository.js';
import { primaryFirst } from '../domain/primary-first.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import type { ActionService } from './action.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { ImmichWriter } from './immich-writer.js';
import { scopeOfCaller, type ScopeRequest } from './caller-scope.js';
import { pageOf } from './page.js';
import type { LibraryAccess, LibraryNeed } from './library-access.js';

export type BurstDecisionInput =
  { action: 'keep-best' } | { action: 'keep-all' } | { action: 'pick'; keepAssetIds: string[] };

export interface BurstDetail {
  burst: BurstRow;
  frames: (AssetRow & { position: number; score: number })[];
}

/** Bursts and their decisions: keep the best frame, keep all, or pick frames to keep. */
export class BurstService {
  constructor(
    private readonly repo: BurstRepository,
    private readonly decisions: DecisionRepository,
    private readonly access: LibraryAccess,
    private readonly actions: ActionService,
    /** Writes the kept frames of an Immich library's burst back as an Immich stack. */
    private readonly immich: ImmichWriter | null = null,
  ) {}

  async list(
    who: Principal,
    q: ScopeRequest & {
      status?: 'open' | 'decided';
      limit: number;
      after: { value: number; id: string } | null;
    },
  ): Promise<{ items: BurstDetail[]; next: { value: number; id: string } | null }> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { items: [], next: null };
    const rows = await this.repo.list({
      ...scope,
      ...(q.status ? { status: q.status } : {}),
      limit: q.limit + 1,
      after: q.after,
    });
    const page = pageOf(rows, q.limit, (b) => ({ value: b.first_at.getTime(), id: b.id }));
    const frames = await this.repo.frames(page.items.map((b) => b.id));
    const items = page.items.map((burst) => ({
      burst,
      frames: frames.filter((f) => f.burst_id === burst.id),
    }));
    return { items, next: page.next };
  }

  async get(who: Principal, id: string, need: LibraryNeed = 'viewer'): Promise<BurstDetail> {
    const burst = await this.repo.findById(id);
    if (!burst) throw new NotFoundError(`Burst ${id} not found`);
    await this.access.require(who, burst.library_id, need, `Burst ${id}`);
    return { burst, frames: await this.repo.frames([id]) };
  }

  /**
   * Records the decision and closes the burst; the frames not kept go to the trash through the
   * action job (or onto the move list of a read-only library). In an Immich library, two or more
   * kept frames become an Immich stack (the recommended frame first, when kept) through a push job.
   * Returns both jobs' ids, if any.
   */
  async decide(
    who: Principal,
    id: string,
    input: BurstDecisionInput,
    origin: RequestOrigin,
  ): Promise<BurstDetail & { jobId: string | null; immichJobId: string | null }> {
    const detail = await this.get(who, id, 'editor');
    if (detail.burst.status !== 'open') throw new ConflictError(`Burst ${id} already has a decision.`);
    const frameIds = detail.frames.map((f) => f.id);
    let keep: string[];
    if (input.action === 'keep-all') keep = frameIds;
    else if (input.action === 'keep-best') keep = [detail.burst.recommended_asset_id];
    else {
      const unknown = input.keepAssetIds.filter((k) => !frameIds.includes(k));
      if (input.keepAssetIds.length === 0 || unknown.length > 0)
        throw new InvalidInputError(
          unknown.length > 0
            ? `keepAssetIds must be frames of the burst; not frames: ${unknown.join(', ')}`
            : 'keepAssetIds must name at least one frame to keep.',
        );
      keep = [...new Set(input.keepAssetIds)];
    }
    const remove = detail.frames.filter((f) => !keep.includes(f.id) && f.status !== 'trashed');
    const jobId =
      remove.length === 0
        ? null
        : (
            await this.actions.requestRemovals(
              who,
              remove.map((f) => ({
                assetId: f.id,
                keepAssetIds: keep,
                source: 'bursts',
                sourceId: id,
                reason: 'burst frame not kept',
              })),
              origin,
            )
          ).jobId;
    await this.decisions.record([
      {
        libraryId: detail.burst.library_id,
        kind: 'burst',
        subjectId: id,
        keepAssetIds: keep,
        removeAssetIds: remove.map((f) => f.id),
      },
    ]);
    await this.repo.markDecided(id);
    const kept = detail.frames.filter((f) => keep.includes(f.id) && f.status !== 'trashed').map((f) => f.id);
    const written =
      (await this.immich?.writeDecisions(
        who,
        detail.burst.library_id,
        [
          {
            kind: 'stack',
            subjectId: id,
            name: null,
            assetIds: primaryFirst(detail.burst.recommended_asset_id, kept),
          },
        ],
        origin,
      )) ?? null;
    return { ...(await this.get(who, id)), jobId, immichJobId: written?.jobId ?? null };
  }
}
