import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { VersionRepository, VersionStackRow } from '../db/repositories/version.repository.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Principal } from './auth/principal.js';
import { scopeOfCaller, type ScopeRequest } from './caller-scope.js';
import { pageOf } from './page.js';
import type { LibraryAccess, LibraryNeed } from './library-access.js';

export interface VersionStackDetail {
  stack: VersionStackRow;
  members: AssetRow[];
}

/** Version stacks: listing, and the user's choice of primary (kept across re-analysis). */
export class VersionService {
  constructor(
    private readonly repo: VersionRepository,
    private readonly access: LibraryAccess,
  ) {}

  async list(
    who: Principal,
    q: ScopeRequest & { limit: number; after: string | null },
  ): Promise<{ items: VersionStackDetail[]; next: string | null }> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { items: [], next: null };
    const rows = await this.repo.list({ ...scope, limit: q.limit + 1, after: q.after });
    const page = pageOf(rows, q.limit, (s) => s.id);
    const members = await this.repo.members(page.items.map((s) => s.id));
    const items = page.items.map((stack) => ({
      stack,
      members: members.filter((m) => m.stack_id === stack.id),
    }));
    return { items, next: page.next };
  }

  async get(who: Principal, id: string, need: LibraryNeed = 'viewer'): Promise<VersionStackDetail> {
    const stack = await this.repo.findById(id);
    if (!stack) throw new NotFoundError(`Version stack ${id} not found`);
    await this.access.require(who, stack.library_id, need, `Version stack ${id}`);
    return { stack, members: await this.repo.members([id]) };
  }

  async setPrimary(who: Principal, id: string, assetId: string): Promise<VersionStackDetail> {
    const detail = await this.get(who, id, 'editor');
    const ids = detail.members.map((m) => m.id);
    if (!ids.includes(assetId))
      throw new InvalidInputError(
        `Asset ${assetId} is not a member of version stack ${id}; members: ${ids.join(', ')}`,
      );
    await this.repo.setPrimary(id, assetId, ids);
    return this.get(who, id);
  }
}
