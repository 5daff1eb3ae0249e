import type { LibraryAccessRow, LibraryRepository } from '../db/repositories/library.repository.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import type { Principal } from './auth/principal.js';

/** What a caller must hold on a library: see it, change its contents, or manage it. */
export type LibraryNeed = 'viewer' | 'editor' | 'owner';

const rank = { viewer: 0, editor: 1, owner: 2 } as const;

/**
 * Per-library permissions: the owner manages, an editor applies decisions, a viewer only looks.
 * A library the caller cannot see does not exist for them (404, never 403), so ids leak nothing.
 */
export class LibraryAccess {
  /** Per-user access, read on nearly every request; dropped on any access change in this process. */
  private readonly cache = new Map<string, { rows: Promise<LibraryAccessRow[]>; until: number }>();

  constructor(
    private readonly libraries: LibraryRepository,
    events: AppEvents,
    private readonly ttlMs = 5000,
  ) {
    events.on('access.changed', () => {
      this.cache.clear();
    });
  }

  visible(who: Principal): Promise<LibraryAccessRow[]> {
    const now = Date.now();
    const hit = this.cache.get(who.userId);
    if (hit && hit.until > now) return hit.rows;
    const rows = this.libraries.accessibleBy(who.userId);
    rows.catch(() => this.cache.delete(who.userId));
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(who.userId, { rows, until: now + this.ttlMs });
    return rows;
  }

  async visibleIds(who: Principal): Promise<string[]> {
    return (await this.visible(who)).map((l) => l.id);
  }

  /** The caller's role in the library; NotFound when they cannot see it, Forbidden when too low. */
  async require(who: Principal, libraryId: string, need: LibraryNeed, what = `Library ${libraryId}`) {
    const access = (await this.visible(who)).find((l) => l.id === libraryId);
    if (!access) throw new NotFoundError(`${what} not found`);
    if (rank[access.role] < rank[need])
      throw new ForbiddenError(
        need === 'owner'
          ? 'Only the owner of this library can do this.'
          : 'Your share of this library is read-only (viewer); ask the owner for editor access.',
      );
    return access.role;
  }

  /** Every library in `libraryIds` must allow `need` (a duplicate group may span libraries). */
  async requireAll(
    who: Principal,
    libraryIds: Iterable<string>,
    need: LibraryNeed,
    what: string,
  ): Promise<void> {
    const visible = new Map((await this.visible(who)).map((l) => [l.id, l.role]));
    for (const id of new Set(libraryIds)) {
      const role = visible.get(id);
      if (!role) throw new NotFoundError(`${what} not found`);
      if (rank[role] < rank[need])
        throw new ForbiddenError(
          'Your share of this library is read-only (viewer); ask the owner for editor access.',
        );
    }
  }
}

/** Whether a live event about `scope` may reach a user who sees `visible` libraries. */
export function eventVisibleTo(
  userId: string,
  visible: ReadonlySet<string>,
  scope: { libraryId: string | null; requestedBy: string | null },
): boolean {
  if (scope.requestedBy === userId) return true;
  if (scope.libraryId !== null) return visible.has(scope.libraryId);
  // System-wide work nobody asked for (duplicate analysis) is visible to everyone.
  return scope.requestedBy === null;
}
