import type { DatabaseHandle } from '../db/database.js';
import type { AssetService } from '../services/asset.service.js';
import type { BurstService } from '../services/burst.service.js';
import type { DuplicateService } from '../services/duplicate.service.js';
import type { InsightService } from '../services/insight.service.js';
import type { SuggestionService } from '../services/suggestion.service.js';
import type { TriageService } from '../services/triage.service.js';
import type { VersionService } from '../services/version.service.js';
import type { JobService } from '../services/job.service.js';
import type { LibraryService } from '../services/library.service.js';

/** What the HTTP layer may call: services only (and the database handle for the readiness probe). */
export interface ApiDeps {
  database: Pick<DatabaseHandle, 'ping' | 'backend'>;
  assets: AssetService;
  duplicates: DuplicateService;
  jobs: JobService;
  libraries: LibraryService;
  insights: InsightService;
  triage: TriageService;
  versions: VersionService;
  bursts: BurstService;
  suggestions: SuggestionService;
}
