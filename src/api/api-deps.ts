import type { DatabaseHandle } from '../db/database.js';
import type { DiskSpaceMonitor } from '../fs/disk-space-monitor.js';
import type { LiveEventHub } from '../events/live-event-hub.js';
import type { ActionService } from '../services/action.service.js';
import type { TrashService } from '../services/trash.service.js';
import type { ImmichService } from '../services/immich.service.js';
import type { ImmichWriter } from '../services/immich-writer.js';
import type { AssetService } from '../services/asset.service.js';
import type { PreviewService } from '../services/preview.service.js';
import type { TimelineService } from '../services/timeline.service.js';
import type { BurstService } from '../services/burst.service.js';
import type { AuditService } from '../services/audit.service.js';
import type { AuthService } from '../services/auth/auth.service.js';
import type { DuplicateService } from '../services/duplicate.service.js';
import type { InsightService } from '../services/insight.service.js';
import type { SuggestionService } from '../services/suggestion.service.js';
import type { TriageService } from '../services/triage.service.js';
import type { VersionService } from '../services/version.service.js';
import type { JobService } from '../services/job.service.js';
import type { LibraryAccess } from '../services/library-access.js';
import type { LibraryService } from '../services/library.service.js';
import type { UserService } from '../services/user.service.js';
import type { SettingsService } from '../services/settings.service.js';
import type { ExploreService } from '../services/explore.service.js';
import type { PageCache } from './page-cache.js';
import type { AlbumService, FavouriteService } from '../services/album.service.js';

/** What the HTTP layer may call: services only (and the database handle for the readiness probe). */
export interface ApiDeps {
  database: Pick<DatabaseHandle, 'ping' | 'backend'>;
  /** Full disks, for the readiness probe. */
  disk: Pick<DiskSpaceMonitor, 'conditions'>;
  auth: AuthService;
  users: UserService;
  audit: AuditService;
  access: LibraryAccess;
  liveEvents: LiveEventHub;
  assets: AssetService;
  previews: PreviewService;
  timeline: TimelineService;
  duplicates: DuplicateService;
  jobs: JobService;
  libraries: LibraryService;
  insights: InsightService;
  triage: TriageService;
  versions: VersionService;
  bursts: BurstService;
  suggestions: SuggestionService;
  actions: ActionService;
  trash: TrashService;
  immich: ImmichService;
  immichWriter: ImmichWriter;
  settings: SettingsService;
  albums: AlbumService;
  favourites: FavouriteService;
  /** Problems, map, timeline facets, capabilities (the web app's explore views). */
  explore: ExploreService;
  /** Rendered hot list pages (timeline, duplicates), reused until the data changes. */
  pages: PageCache;
  cookieSecure: boolean;
}

/** HTTP settings that shape the server itself. */
export interface HttpOptions {
  bodyLimitBytes: number;
  corsOrigins: readonly string[];
  trustProxy: boolean;
  sseHeartbeatSeconds: number;
  sseReplaySize: number;
  /** Memory for rendered list pages (0: no cache). */
  responseCacheBytes: number;
}
