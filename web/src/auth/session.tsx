import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, api, setUnauthorizedHandler } from '../api/client';
import type { User } from '../api/types';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'login'; reason?: string }
  | { kind: 'ready'; user: User | null; error?: undefined }
  | { kind: 'unreachable'; message: string };

interface SessionApi {
  state: SessionState;
  refresh: () => Promise<void>;
  signedOut: (reason?: string) => void;
}

const SessionContext = createContext<SessionApi | null>(null);

/**
 * Where the app starts: first run (no user yet) → create admin; no session → login; else the
 * signed-in user. A server without the auth API (older build) runs open, user = null.
 */
async function resolveSession(): Promise<SessionState> {
  try {
    const status = await api.auth.status();
    if (status.setupRequired) return { kind: 'setup' };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { kind: 'ready', user: null };
    if (err instanceof ApiError && err.status === 0) return { kind: 'unreachable', message: err.message };
    throw err;
  }
  try {
    return { kind: 'ready', user: await api.auth.me() };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return { kind: 'login' };
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const refresh = useCallback(async () => {
    try {
      setState(await resolveSession());
    } catch (err) {
      setState({ kind: 'unreachable', message: err instanceof Error ? err.message : 'Unknown error' });
    }
  }, []);
  const signedOut = useCallback((reason?: string) => {
    setState(reason ? { kind: 'login', reason } : { kind: 'login' });
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      signedOut('Your session ended. Sign in again.');
    });
    void refresh();
  }, [refresh, signedOut]);
  return <SessionContext.Provider value={{ state, refresh, signedOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useCurrentUser(): User | null {
  const { state } = useSession();
  return state.kind === 'ready' ? state.user : null;
}
