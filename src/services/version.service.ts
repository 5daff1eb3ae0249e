import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { VersionRepository, VersionStackRow } from '../db/repositories/version.repository.js';
import { primaryFirst } from '../domain/primary-first.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { ImmichWriter } from './immich-writer.js';
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
    /** Writes stacks of Immich libraries back to Immich (absent: decisions stay in photo-sync). */
    private readonly immich: ImmichWriter | null = null,
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

  /**
   * Records the user's primary. In an Immich library the stack is written to Immich as a job:
   * created with this primary first, or only its primary changed when Immich already has it.
   */
  async setPrimary(
    who: Principal,
    id: string,
    assetId: string,
    origin: RequestOrigin,
  ): Promise<VersionStackDetail & { immichJobId: string | null }> {
    const detail = await this.get(who, id, 'editor');
    const ids = detail.members.map((m) => m.id);
    if (!ids.includes(assetId))
      throw new InvalidInputError(
        `Asset ${assetId} is not a member of version stack ${id}; members: ${ids.join(', ')}`,
      );
    await this.repo.setPrimary(id, assetId, ids);
    const updated = await this.get(who, id);
    const written = await this.writeToImmich(who, [updated], origin, false);
    return { ...updated, immichJobId: written.jobIds[0] ?? null };
  }

  /**
   * The stacks of Immich libraries among `stacks` become Immich stacks (primary first), one job per
   * library; with `once`, stacks already written are left alone. Returns the jobs' ids and how
   * many stacks they write.
   */
  async writeToImmich(
    who: Principal,
    stacks: readonly VersionStackDetail[],
    origin: RequestOrigin,
    once: boolean,
  ): Promise<{ jobIds: string[]; written: number }> {
    const out = { jobIds: [] as string[], written: 0 };
    if (!this.immich) return out;
    const byLibrary = new Map<string, VersionStackDetail[]>();
    for (const s of stacks)
      byLibrary.set(s.stack.library_id, [...(byLibrary.get(s.stack.library_id) ?? []), s]);
    for (const [libraryId, list] of byLibrary) {
      const job = await this.immich.writeDecisions(
        who,
        libraryId,
        list.map(({ stack, members }) => ({
          kind: 'stack' as const,
          subjectId: stack.id,
          name: null,
          assetIds: primaryFirst(
            stack.primary_asset_id,
            members.filter((m) => m.status !== 'trashed').map((m) => m.id),
          ),
        })),
        origin,
        { once },
      );
      if (job) {
        out.jobIds.push(job.jobId);
        out.written += job.items;
      }
    }
    return out;
  }
}
