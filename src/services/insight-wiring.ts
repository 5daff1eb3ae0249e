import type { Kysely } from 'kysely';
import type { InsightSettings } from '../config/insight-settings.js';
import { BurstRepository } from '../db/repositories/burst.repository.js';
import { DecisionRepository } from '../db/repositories/decision.repository.js';
import { ImportBatchRepository } from '../db/repositories/import-batch.repository.js';
import { InsightAssetRepository } from '../db/repositories/insight-asset.repository.js';
import { SuggestionRepository } from '../db/repositories/suggestion.repository.js';
import { TriageRepository } from '../db/repositories/triage.repository.js';
import { VersionRepository } from '../db/repositories/version.repository.js';
import type { Database } from '../db/schema.js';
import { bundledCityLookup } from '../geo/bundled-cities.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { BurstService } from './burst.service.js';
import type { ActionService } from './action.service.js';
import type { DuplicateService } from './duplicate.service.js';
import type { ImmichWriter } from './immich-writer.js';
import type { LibraryAccess } from './library-access.js';
import { InsightService } from './insight.service.js';
import { SuggestionService } from './suggestion.service.js';
import { TriageService } from './triage.service.js';
import { VersionService } from './version.service.js';

/** The insight services over one database (kept out of the process wiring so it stays a page long). */
export function createInsightServices(
  db: Kysely<Database>,
  settings: () => Promise<InsightSettings>,
  queue: JobQueue,
  duplicates: DuplicateService,
  access: LibraryAccess,
  actions: ActionService,
  immich: ImmichWriter | null = null,
) {
  const versionRepo = new VersionRepository(db);
  const burstRepo = new BurstRepository(db);
  const suggestionRepo = new SuggestionRepository(db);
  const decisions = new DecisionRepository(db);
  const insightAssets = new InsightAssetRepository(db);
  const insights = new InsightService(
    {
      assets: insightAssets,
      batches: new ImportBatchRepository(db),
      versions: versionRepo,
      bursts: burstRepo,
      suggestions: suggestionRepo,
    },
    settings,
    queue,
    bundledCityLookup,
    access,
  );
  const versions = new VersionService(versionRepo, access, immich);
  const bursts = new BurstService(burstRepo, decisions, access, actions, immich);
  const suggestions = new SuggestionService(suggestionRepo, access, immich);
  const triage = new TriageService(
    new TriageRepository(db),
    decisions,
    duplicates,
    bursts,
    versions,
    suggestions,
    (ids) => insightAssets.byIds(ids),
    access,
    actions,
  );
  return { insights, versions, bursts, suggestions, triage };
}

export type InsightServices = ReturnType<typeof createInsightServices>;
