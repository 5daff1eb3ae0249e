/**
 * JSON shapes the web app reads. Shapes of routes that exist on the server are derived from the
 * server's own presenters (type-only imports, erased from the bundle), so a server change that
 * breaks the UI fails `npm run typecheck`. Shapes of routes still being built follow
 * /api-contract (docs in README "HTTP API").
 */
import type {
  presentAuditEntry,
  presentTrashItem,
  presentApiKey,
  presentShare,
  presentUser,
  presentAsset,
  presentDuplicateDetail,
  presentDuplicateGroup,
  presentJob,
  presentLibrary,
} from '../../../src/api/presenters.js';

export type Asset = ReturnType<typeof presentAsset>;
export type Job = ReturnType<typeof presentJob>;
export type Library = ReturnType<typeof presentLibrary>;
export type DuplicateGroup = ReturnType<typeof presentDuplicateGroup>;
export type DuplicateDetail = ReturnType<typeof presentDuplicateDetail>;
export type DuplicateMember = DuplicateDetail['members'][number];
export type ComparedField = keyof DuplicateDetail['differs'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

export type User = ReturnType<typeof presentUser>;
export type Role = User['role'];
export type Share = ReturnType<typeof presentShare>;
export type ApiKey = ReturnType<typeof presentApiKey>;

export interface LoginResult {
  user: User;
  accessToken: string;
  expiresIn: number;
}

export type Confidence = 'green' | 'yellow' | 'orange';

export type TriageCategoryKey =
  'exact-duplicates' | 'near-duplicates' | 'low-quality' | 'bursts' | 'versions' | 'unorganised';

export interface TriageCategory {
  key: TriageCategoryKey;
  itemCount: number;
  bytesSaved: number;
  confidence: Confidence;
  recommendation: string;
}

export type TrashItem = ReturnType<typeof presentTrashItem>;

export type AuditEntry = ReturnType<typeof presentAuditEntry>;

export interface VersionStack {
  id: string;
  primaryAssetId: string;
  members: { assetId: string; role?: string; asset?: Asset }[];
}

export interface Burst {
  id: string;
  recommendedAssetId: string;
  frames: { assetId: string; thumbnailUrl: string | null; score?: number; asset?: Asset }[];
  status?: string;
}

export interface QualityItem {
  assetId: string;
  score: number;
  labels: string[];
  thumbnailUrl: string | null;
  asset?: Asset;
}

export interface Suggestion {
  id: string;
  kind: 'event' | 'place';
  name: string;
  assetCount: number;
  startAt?: string | null;
  endAt?: string | null;
  coverThumbnailUrl?: string | null;
}

export interface Album {
  id: string;
  name: string;
  assetCount: number;
  coverThumbnailUrl?: string | null;
  createdAt?: string;
}

export interface JobProgressEvent {
  jobId: string;
  type: string;
  libraryId: string | null;
  status: string;
  done: number;
  failed: number;
  total: number;
}
