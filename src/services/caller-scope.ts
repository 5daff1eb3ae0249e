import type { TriageScope } from '../db/repositories/triage.repository.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

/** What a list request asks for: one library and/or one import batch, or everything visible. */
export interface ScopeRequest {
  library?: string | undefined;
  batch?: string | undefined;
}

/**
 * The libraries a request covers: the one asked for (404 when the caller cannot see it), or every
 * library the caller can see. Null when that is none, so callers answer an empty page instead of
 * querying with an empty set.
 */
export async function scopeOfCaller(
  access: LibraryAccess,
  who: Principal,
  request: ScopeRequest,
): Promise<TriageScope | null> {
  let libraryIds: string[];
  if (request.library) {
    await access.require(who, request.library, 'viewer');
    libraryIds = [request.library];
  } else libraryIds = await access.visibleIds(who);
  if (libraryIds.length === 0) return null;
  return { libraryIds, ...(request.batch ? { batchId: request.batch } : {}) };
}
