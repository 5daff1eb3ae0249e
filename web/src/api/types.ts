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
  presentGridAsset,
  presentDuplicateDetail,
  presentDuplicateGroup,
  presentJob,
  presentLibrary,
  presentImmichWrite,
  presentImmichWriteJob,
} from '../../../src/api/presenters.js';
import type {
  presentAlbum,
  presentBurst,
  presentSuggestion,
  presentVersionStack,
} from '../../../src/api/insight-presenters.js';
import type { presentAlbumCard, presentAlbumDetail } from '../../../src/api/routes/album.routes.js';
import type { CategorySummary } from '../../../src/services/triage.service.js';
import type { presentSetting } from '../../../src/api/settings-presenter.js';

export type Asset = ReturnType<typeof presentAsset>;
/** A card of the timeline grid (GET /api/timeline/assets): what the grid draws; the viewer loads the Asset. */
export type GridAsset = ReturnType<typeof presentGridAsset>;
export type Job = ReturnType<typeof presentJob>;
export type Library = ReturnType<typeof presentLibrary>;
export type ImmichWrite = ReturnType<typeof presentImmichWrite>;
export type ImmichWriteJob = ReturnType<typeof presentImmichWriteJob>;
/** A permission the Immich API key lacks, and what photo-sync needs it for. */
export interface ImmichPermission {
  permission: string;
  usedFor: string;
}
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

export type TriageCategory = CategorySummary;
export type TriageCategoryKey = TriageCategory['key'];
export type Confidence = TriageCategory['confidence'];

export type TrashItem = ReturnType<typeof presentTrashItem>;

export type AuditEntry = ReturnType<typeof presentAuditEntry>;
/** One runtime setting (GET/PUT /api/settings). */
export type Setting = ReturnType<typeof presentSetting>;

export type VersionStack = ReturnType<typeof presentVersionStack>;

export type Burst = ReturnType<typeof presentBurst>;

/** A flagged asset: `qualityScore` 0-100, `qualityLabels` and `qualityFlags` (reason and measured value each). */
export type QualityItem = Asset;

export type Suggestion = ReturnType<typeof presentSuggestion>;

export type Album = ReturnType<typeof presentAlbum>;
/** An album of GET /api/albums: its count and cover. */
export type AlbumCard = ReturnType<typeof presentAlbumCard>;
/** One album (GET /api/albums/:id) with its photos. */
export type AlbumDetail = ReturnType<typeof presentAlbumDetail>;

export interface JobProgressEvent {
  jobId: string;
  type: string;
  libraryId: string | null;
  status: string;
  done: number;
  failed: number;
  total: number;
}

/** One month of the timeline (GET /api/timeline/buckets): cards as the grid shows them, and assets. */
export interface MonthBucket {
  /** `YYYY-MM`, local to the asked time zone. */
  month: string;
  cards: number;
  assets: number;
}

export interface TimelineBuckets {
  timeZone: string;
  /** Newest month first. */
  buckets: MonthBucket[];
}
