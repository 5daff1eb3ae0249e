import type {
  Album,
  AlbumCard,
  AlbumDetail,
  ApiKey,
  Asset,
  AuditEntry,
  Burst,
  DuplicateDetail,
  DuplicateGroup,
  GridAsset,
  ImmichPermission,
  ImmichWrite,
  ImmichWriteJob,
  Job,
  Library,
  LoginResult,
  Page,
  Problem,
  QualityItem,
  Setting,
  Share,
  Suggestion,
  TimelineBuckets,
  TrashItem,
  TriageCategory,
  TriageCategoryKey,
  User,
  VersionStack,
} from './types';
import type { TimelineFilter } from './explore';

/** An API error carrying the server's problem+json, so the UI can show its `detail` verbatim. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function toProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await res.json()) as Problem;
    } catch {
      /* fall through to the generic message */
    }
  }
  return {
    type: 'about:blank',
    title: res.statusText || 'Error',
    status: res.status,
    detail:
      res.status >= 500
        ? `The server answered ${res.status}. Check that photo-sync is running and look at its log.`
        : `The server answered ${res.status} ${res.statusText}.`,
  };
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: parallel requests that hit 401 wait for the same rotation. */
function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Called when the session is gone for good; the app shows the login page. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  retry = true,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    // A request its caller gave up on (a month scrolled past) is not a network problem.
    if (signal?.aborted) throw error;
    throw new ApiError({
      type: 'network',
      title: 'Network error',
      status: 0,
      detail: 'Cannot reach the photo-sync server. Check your connection or that the server is running.',
    });
  }
  if (res.status === 401 && retry && !path.startsWith('/api/auth/')) {
    if (await refreshSession()) return request<T>(method, path, body, false, signal);
    onUnauthorized();
  }
  if (!res.ok) throw new ApiError(await toProblem(res));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Binary GET (an image) as a Blob; a refusal becomes an ApiError with the server's problem. */
async function getBlob(path: string, retry = true): Promise<Blob> {
  const res = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
  if (!res)
    throw new ApiError({
      type: 'network',
      title: 'Network error',
      status: 0,
      detail: 'Cannot reach the server.',
    });
  if (res.status === 401 && retry && (await refreshSession())) return getBlob(path, false);
  if (!res.ok) throw new ApiError(await toProblem(res));
  return res.blob();
}

const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>('GET', withQuery(path, query), undefined, true, signal);
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
const del = <T>(path: string) => request<T>('DELETE', path);

export interface PageQuery {
  cursor?: string | null | undefined;
  limit?: number;
}

/** Every endpoint the web app calls, typed. */
export const api = {
  auth: {
    status: () => get<{ setupRequired: boolean }>('/api/auth/status'),
    setup: (b: { email: string; name: string; password: string }) =>
      post<{ user: User }>('/api/auth/setup', b),
    login: (b: { email: string; password: string }) => post<LoginResult>('/api/auth/login', b),
    logout: () => post<undefined>('/api/auth/logout'),
    me: () => get<User>('/api/users/me'),
    changePassword: (b: { currentPassword: string; newPassword: string }) =>
      post<undefined>('/api/users/me/password', b),
  },
  users: {
    list: () => get<Page<User>>('/api/users'),
    create: (b: { email: string; name: string; password: string; role: User['role'] }) =>
      post<User>('/api/users', b),
    remove: (id: string) => del<undefined>(`/api/users/${id}`),
  },
  apiKeys: {
    list: () => get<Page<ApiKey>>('/api/api-keys'),
    create: (name: string) => post<ApiKey & { secret: string }>('/api/api-keys', { name }),
    remove: (id: string) => del<undefined>(`/api/api-keys/${id}`),
  },
  assets: {
    /** `before`: start strictly before this instant (a month of the timeline), then page by cursor. */
    list: (q: PageQuery & { library?: string; before?: string }, signal?: AbortSignal) =>
      get<Page<Asset>>('/api/assets', { ...q }, signal),
    get: (id: string) => get<Asset>(`/api/assets/${id}`),
    /** The display-size WebP (long edge `size`), rendered on the server from the original. */
    /** The original file (inline, so a video plays and seeks; `download` saves it instead). */
    originalUrl: (id: string, download = false) =>
      `/api/assets/${id}/original${download ? '?download=1' : ''}`,
    preview: (id: string, size?: 1280 | 1920 | 2560) =>
      getBlob(withQuery(`/api/assets/${id}/preview`, { size })),
  },
  timeline: {
    /** Per-month counts of the whole timeline, newest first, months local to `tz`. */
    buckets: (q: { tz: string; library?: string } & TimelineFilter) =>
      get<TimelineBuckets>('/api/timeline/buckets', { ...q }),
    /** Grid cards of the timeline (the assets of `assets.list`, slim); `before` as there. */
    assets: (q: PageQuery & { library?: string; before?: string } & TimelineFilter, signal?: AbortSignal) =>
      get<Page<GridAsset>>('/api/timeline/assets', { ...q }, signal),
  },
  libraries: {
    list: () => get<{ items: Library[] }>('/api/libraries'),
    create: (b: { name?: string; roots: string[]; readOnly?: boolean }) =>
      post<Library & { scanJobId: string }>('/api/libraries', b),
    scan: (id: string) => post<{ jobId: string }>(`/api/libraries/${id}/scan`),
    /** The library is hidden at once; its rows go in the background job `jobId`. */
    remove: (id: string) => del<{ id: string; state: 'deleting'; jobId: string }>(`/api/libraries/${id}`),
    shares: (id: string) => get<{ items: Share[] }>(`/api/libraries/${id}/shares`),
    share: (id: string, userId: string, role: Share['role']) =>
      put<undefined>(`/api/libraries/${id}/shares/${userId}`, { role }),
    unshare: (id: string, userId: string) => del<undefined>(`/api/libraries/${id}/shares/${userId}`),
    connectImmich: (b: { name?: string; url: string; apiKey: string }) =>
      post<Library & { scanJobId: string; serverVersion: string; missingPermissions: ImmichPermission[] }>(
        '/api/libraries/immich',
        b,
      ),
    checkImmich: (id: string, apiKey?: string) =>
      post<{ serverVersion: string; missingPermissions: ImmichPermission[] }>(
        `/api/libraries/${id}/immich/check`,
        apiKey ? { apiKey } : {},
      ),
    pushImmich: (id: string, b: { stacks: boolean; albums: boolean; duplicates: boolean }) =>
      post<{ jobId: string; items: number }>(`/api/libraries/${id}/immich/push`, b),
    immichJobs: (id: string) => get<{ items: ImmichWriteJob[] }>(`/api/libraries/${id}/immich/push`),
    immichWrites: (id: string, jobId: string) =>
      get<{ items: ImmichWrite[] }>(`/api/libraries/${id}/immich/push/${jobId}`),
    undoImmichPush: (id: string, jobId: string) =>
      post<{ undone: number; failed: { id: string; error: string }[] }>(
        `/api/libraries/${id}/immich/push/${jobId}/undo`,
      ),
  },
  jobs: {
    list: (q: PageQuery = {}) => get<Page<Job>>('/api/jobs', { ...q }),
    get: (id: string) => get<Job>(`/api/jobs/${id}`),
    retry: (id: string) => post<{ jobId: string }>(`/api/jobs/${id}/retry`),
  },
  duplicates: {
    list: (q: PageQuery & { sort: 'newest' | 'space' | 'similarity'; kind?: string; library?: string }) =>
      get<Page<DuplicateGroup>>('/api/duplicates', { ...q }),
    get: (id: string) => get<DuplicateDetail>(`/api/duplicates/${id}`),
    decide: (
      id: string,
      b: { action: 'keep'; keepAssetIds: string[] } | { action: 'not-duplicate' } | { action: 'dismiss' },
    ) => post<DuplicateDetail>(`/api/duplicates/${id}/decision`, b),
    apply: (id: string, keepAssetIds: string[]) =>
      post<{ jobId: string }>(`/api/duplicates/${id}/apply`, { keepAssetIds }),
    analyse: () => post<{ jobId: string }>('/api/duplicates/analyse'),
  },
  actions: {
    remove: (items: { assetId: string; reason?: string; groupId?: string }[]) =>
      post<{ jobId: string }>('/api/actions', { items: items.map((i) => ({ kind: 'remove', ...i })) }),
  },
  trash: {
    list: (q: PageQuery = {}) => get<Page<TrashItem>>('/api/trash', { ...q }),
    restore: (id: string) => post<{ assetId: string; restoredPath: string }>(`/api/trash/${id}/restore`),
    purge: (olderThanDays?: number) =>
      post<{ jobId: string }>('/api/trash/purge', olderThanDays === undefined ? {} : { olderThanDays }),
  },
  audit: { list: (q: PageQuery = {}) => get<Page<AuditEntry>>('/api/audit', { ...q }) },
  triage: {
    summary: (library?: string) => get<{ categories: TriageCategory[] }>('/api/triage', { library }),
    accept: (category: TriageCategoryKey, library?: string) =>
      post<{ category: TriageCategoryKey; recorded: number; immichJobIds: string[] }>(
        `/api/triage/${category}/accept`,
        library ? { library } : {},
      ),
  },
  versions: {
    list: (q: PageQuery = {}) => get<Page<VersionStack>>('/api/versions', { ...q }),
    setPrimary: (id: string, assetId: string) =>
      put<VersionStack>(`/api/versions/${id}/primary`, { assetId }),
  },
  bursts: {
    list: (q: PageQuery & { status?: 'open' | 'decided' } = {}) => get<Page<Burst>>('/api/bursts', { ...q }),
    decide: (id: string, b: { action: 'keep-best' | 'keep-all' | 'pick'; keepAssetIds?: string[] }) =>
      post<unknown>(`/api/bursts/${id}/decision`, b),
  },
  quality: {
    list: (q: PageQuery & { maxScore?: number; label?: string }) =>
      get<Page<QualityItem>>('/api/quality', { ...q }),
  },
  suggestions: {
    list: () => get<Page<Suggestion>>('/api/suggestions'),
    accept: (id: string, name?: string) => post<Album>(`/api/suggestions/${id}/accept`, name ? { name } : {}),
  },
  albums: {
    list: (q: PageQuery = {}) => get<Page<AlbumCard>>('/api/albums', { ...q }),
    get: (id: string) => get<AlbumDetail>(`/api/albums/${id}`),
    create: (b: { name: string; description?: string | null; assetIds?: string[] }) =>
      post<AlbumDetail>('/api/albums', b),
    update: (
      id: string,
      b: {
        name?: string;
        description?: string | null;
        coverAssetId?: string | null;
        addAssetIds?: string[];
        removeAssetIds?: string[];
      },
    ) => request<AlbumDetail>('PATCH', `/api/albums/${id}`, b),
    remove: (id: string) => del<undefined>(`/api/albums/${id}`),
  },
  favourites: {
    list: (q: PageQuery = {}) => get<Page<Asset>>('/api/favourites', { ...q }),
    get: (assetId: string) =>
      get<{ assetId: string; favourite: boolean }>(`/api/assets/${assetId}/favourite`),
    set: (assetId: string, favourite: boolean) =>
      put<{ assetId: string; favourite: boolean }>(`/api/assets/${assetId}/favourite`, { favourite }),
  },
  settings: {
    get: () => get<{ items: Setting[] }>('/api/settings'),
    /** Changes the named settings, all or none; null puts one back to its environment default. */
    put: (b: Record<string, unknown>) => put<{ items: Setting[] }>('/api/settings', b),
  },
};

/** A message a person can act on, for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 404 && err.problem.detail.startsWith('No route'))
      return 'This server does not offer this feature yet (the endpoint is missing). Update photo-sync.';
    if (err.status === 403) return `${err.problem.detail} Ask an administrator for access.`;
    return err.problem.detail || err.problem.title;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
