import { request } from './client';
import type { Page, User } from './types';

/** Endpoints of the explore views (problems, map, timeline filter), the admin's user actions. */

export interface ProblemItem {
  assetId: string;
  libraryId: string;
  libraryName: string;
  path: string;
  status: string;
  kind: string | null;
  code: string;
  reason: string;
  attempts: number;
  sizeBytes: number;
  updatedAt: string;
}

export interface JobFailure {
  assetId: string | null;
  path: string;
  code: string | null;
  reason: string;
}

export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface MapCluster {
  latitude: number;
  longitude: number;
  count: number;
  bounds: Bounds;
  sampleAssetId: string;
  thumbnailUrl: string | null;
}

export interface MapAsset {
  id: string;
  path: string;
  kind: string | null;
  latitude: number;
  longitude: number;
  takenAt: string;
  thumbnailUrl: string | null;
}

export interface Facets {
  cameras: { make: string | null; model: string; count: number }[];
  kinds: { kind: string; count: number }[];
  labels: { label: string; count: number }[];
  folders: { folder: string; count: number }[];
}

export interface Capabilities {
  ffmpeg: boolean | null;
  videosNeedingFfmpeg: number;
}

/** The timeline filter bar's choices, as query parameters (all optional). */
export interface TimelineFilter {
  from?: string;
  to?: string;
  camera?: string;
  folder?: string;
  kind?: string;
  label?: string;
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

const get = <T>(path: string, query: Query = {}, signal?: AbortSignal) =>
  request<T>('GET', withQuery(path, query), undefined, true, signal);

export const explore = {
  problems: (q: { cursor?: string | null; limit?: number; status?: 'failed' | 'all' } = {}) =>
    get<Page<ProblemItem> & { counts: { code: string; count: number }[] }>('/api/problems', {
      cursor: q.cursor ?? undefined,
      limit: q.limit,
      status: q.status,
    }),
  jobFailures: (jobId: string) => get<{ items: JobFailure[] }>(`/api/jobs/${jobId}/failures`),
  clusters: (q: Bounds & { zoom: number }, signal?: AbortSignal) =>
    get<{ zoom: number; cellDegrees: number; clusters: MapCluster[] }>('/api/map/clusters', { ...q }, signal),
  mapAssets: (q: Bounds & { limit?: number }) => get<{ items: MapAsset[] }>('/api/map/assets', { ...q }),
  facets: () => get<Facets>('/api/timeline/facets'),
  capabilities: () => get<Capabilities>('/api/capabilities'),
  changeRole: (id: string, role: User['role']) => request<User>('PATCH', `/api/users/${id}`, { role }),
  resetPassword: (id: string, newPassword: string) =>
    request<undefined>('POST', `/api/users/${id}/password`, { newPassword }),
};

/** The filter as the query of the timeline's endpoints. */
export function filterQuery(f: TimelineFilter): Query {
  return { from: f.from, to: f.to, camera: f.camera, folder: f.folder, kind: f.kind, label: f.label };
}
