import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { VersionRepository, VersionStackRow } from '../db/repositories/version.repository.js';
import { InvalidInputError, NotFoundError } from '../errors.js';

export interface VersionStackDetail {
  stack: VersionStackRow;
  members: AssetRow[];
}

/** Version stacks: listing, and the user's choice of primary (kept across re-analysis). */
export class VersionService {
  constructor(private readonly repo: VersionRepository) {}

  async list(q: {
    libraryId?: string;
    batchId?: string;
    limit: number;
    after: string | null;
  }): Promise<{ items: VersionStackDetail[]; next: string | null }> {
    const rows = await this.repo.list({ ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const members = await this.repo.members(page.map((s) => s.id));
    const items = page.map((stack) => ({ stack, members: members.filter((m) => m.stack_id === stack.id) }));
    return { items, next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
  }

  async get(id: string): Promise<VersionStackDetail> {
    const stack = await this.repo.findById(id);
    if (!stack) throw new NotFoundError(`Version stack ${id} not found`);
    return { stack, members: await this.repo.members([id]) };
  }

  async setPrimary(id: string, assetId: string): Promise<VersionStackDetail> {
    const detail = await this.get(id);
    const ids = detail.members.map((m) => m.id);
    if (!ids.includes(assetId))
      throw new InvalidInputError(
        `Asset ${assetId} is not a member of version stack ${id}; members: ${ids.join(', ')}`,
      );
    await this.repo.setPrimary(id, assetId, ids);
    return this.get(id);
  }
}
