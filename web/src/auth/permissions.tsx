import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useCurrentUser } from './session';

export interface Permissions {
  /** Still loading: hide what needs rights until known, rather than flash it. */
  known: boolean;
  /** Can change a library's contents (remove copies, decide, restore, retry): owner or editor of one. */
  canEdit: boolean;
  /** Can empty trash: owns a library, or is an administrator. */
  canPurge: boolean;
  isAdmin: boolean;
}

/**
 * What the signed-in user may do, from their role and their libraries (GET /api/libraries carries
 * the caller's role in each). The server enforces the same rules; the UI only stops offering what
 * would be refused — a viewer of shared libraries sees no destructive button.
 */
export function usePermissions(): Permissions {
  const me = useCurrentUser();
  // Keyed by user: after a sign-out and another user's sign-in, the previous user's roles never apply.
  const libs = useQuery({
    queryKey: ['libraries', 'roles', me?.id ?? null],
    queryFn: () => api.libraries.list(),
    staleTime: 30_000,
  });
  const isAdmin = !me || me.role === 'admin';
  const items = libs.data?.items ?? [];
  // A user with no library yet adds their own (and owns it): nothing to hide before that.
  const none = items.length === 0;
  return {
    known: libs.data !== undefined,
    canEdit: none || items.some((l) => l.role === 'owner' || l.role === 'editor'),
    canPurge: isAdmin || none || items.some((l) => l.role === 'owner'),
    isAdmin,
  };
}

/** Said where a viewer would otherwise find buttons: why there are none. */
export function ReadOnlyNote({ what }: { what: string }) {
  return (
    <p className="muted read-only-note" role="note" data-read-only>
      Your share is read-only (viewer): you can look, but {what}. Ask the library’s owner for editor access.
    </p>
  );
}
