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
import type { DuplicateService } from './duplicate.service.js';
import { InsightService } from './insight.service.js';
import { SuggestionService } from './suggestion.service.js';
import { TriageService } from './triage.service.js';
import { VersionService } from './version.service.js';

/** The insight services over one database (kept out of app.ts so it stays a page long). */
export function createInsightServices(
  db: Kysely<Database>,
  settings: InsightSettings,
  queue: JobQueue,
  duplicates: DuplicateService,
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
  );
  const versions = new VersionService(versionRepo);
  const bursts = new BurstService(burstRepo, decisions);
  const suggestions = new SuggestionService(suggestionRepo);
  const triage = new TriageService(
    new TriageRepository(db),
    decisions,
    duplicates,
    bursts,
    versions,
    suggestions,
    (ids) => insightAssets.byIds(ids),
  );
  return { insights, versions, bursts, suggestions, triage };
}
