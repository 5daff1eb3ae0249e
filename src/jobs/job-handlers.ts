import type { ActionService } from '../services/action.service.js';
import type { DuplicateService } from '../services/duplicate.service.js';
import type { InsightService } from '../services/insight.service.js';
import type { ScanService } from '../services/scan.service.js';
import type { TrashService } from '../services/trash.service.js';
import type { JobHandlers } from './job-registry.js';

export interface JobServices {
  scan: ScanService;
  duplicates: DuplicateService;
  insights: InsightService;
  actions: ActionService;
  trash: TrashService;
}

/** Binds every declared job to the service method that performs it. */
export function createJobHandlers(services: JobServices): JobHandlers {
  // Read at call time: the app completes `services` after the queue exists. New or changed files
  // are matched against the library once the job that found them is done (queued before it ends,
  // so nobody sees the queue idle in between). Insights run before duplicates: the duplicate
  // analysis must know the version stacks, whose relatives are never offered as duplicates.
  return {
    'library.scan': async (payload, ctx) => {
      await services.scan.scanLibrary(payload.libraryId, ctx);
      await services.insights.afterScan(payload.libraryId, ctx.jobId);
    },
    'library.sync-paths': async (payload, ctx) => {
      await services.scan.syncPaths(payload.libraryId, payload.paths, ctx);
      await services.insights.afterScan(payload.libraryId, ctx.jobId);
    },
    'duplicates.analyse': (_payload, ctx) => services.duplicates.analyse(ctx),
    'insights.analyse': async (payload, ctx) => {
      await services.insights.analyse(payload.libraryId, ctx);
      await services.duplicates.requestAnalysis();
    },
    'actions.apply': (payload, ctx) => services.actions.apply(payload.itemIds, ctx),
    'trash.purge': (payload, ctx) => services.trash.purge(payload, ctx),
  };
}
