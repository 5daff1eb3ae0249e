import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { BurstRepository, BurstRow } from '../db/repositories/burst.repository.js';
import type { DecisionRepository } from '../db/repositories/decision.repository.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';

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
  ) {}

  async list(q: {
    libraryId?: string;
    batchId?: string;
    status?: 'open' | 'decided';
    limit: number;
    after: { value: number; id: string } | null;
  }): Promise<{ items: BurstDetail[]; next: { value: number; id: string } | null }> {
    const rows = await this.repo.list({ ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const frames = await this.repo.frames(page.map((b) => b.id));
    const items = page.map((burst) => ({ burst, frames: frames.filter((f) => f.burst_id === burst.id) }));
    const last = page.at(-1);
    return {
      items,
      next: rows.length > q.limit && last ? { value: last.first_at.getTime(), id: last.id } : null,
    };
  }

  async get(id: string): Promise<BurstDetail> {
    const burst = await this.repo.findById(id);
    if (!burst) throw new NotFoundError(`Burst ${id} not found`);
    return { burst, frames: await this.repo.frames([id]) };
  }

  /** Records the decision (removal is applied later by the action job) and closes the burst. */
  async decide(id: string, input: BurstDecisionInput): Promise<BurstDetail> {
    const detail = await this.get(id);
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
    await this.decisions.record([
      {
        libraryId: detail.burst.library_id,
        kind: 'burst',
        subjectId: id,
        keepAssetIds: keep,
        removeAssetIds: frameIds.filter((f) => !keep.includes(f)),
      },
    ]);
    await this.repo.markDecided(id);
    return this.get(id);
  }
}
