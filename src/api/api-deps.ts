import type { DatabaseHandle } from '../db/database.js';
import type { AssetService } from '../services/asset.service.js';
import type { DuplicateService } from '../services/duplicate.service.js';
import type { JobService } from '../services/job.service.js';
import type { LibraryService } from '../services/library.service.js';

/** What the HTTP layer may call: services only (and the database handle for the readiness probe). */
export interface ApiDeps {
  database: Pick<DatabaseHandle, 'ping' | 'backend'>;
  assets: AssetService;
  duplicates: DuplicateService;
  jobs: JobService;
  libraries: LibraryService;
}
