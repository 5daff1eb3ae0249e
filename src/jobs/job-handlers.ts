import type { ActionService } from '../services/action.service.js';
import type { DuplicateService } from '../services/duplicate.service.js';
import type { ImmichService } from '../services/immich.service.js';
import type { ImmichWriter } from '../services/immich-writer.js';
import type { LibraryService } from '../services/library.service.js';
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
  immich: ImmichService;
  immichWriter: ImmichWriter;
  libraries: LibraryService;
}

/** Binds every declared job to the service method that performs it. */
export function createJobHandlers(services: JobServices): JobHandlers {
  // Read at call time: the app completes `services` after the queue exists. What a scan added is
  // analysed once its ingest batches are done (the scan's follow-up `insights.analyse`); a scan that
  // found nothing to index may still have seen files vanish, so it asks now. Insights run before
  // duplicates: the duplicate analysis must know the version stacks, whose relatives are never
  // offered as duplicates.
  return {
    'library.scan': async (payload, ctx) => {
      if (await services.immich.isImmich(payload.libraryId)) {
        await services.immich.sync(payload.libraryId, ctx);
        if (!ctx.signal.aborted) await services.insights.afterScan(payload.libraryId, ctx.jobId);
        return;
      }
      const split = await services.scan.scanLibrary(payload.libraryId, ctx);
      if (split.batches === 0 && !ctx.signal.aborted)
        await services.insights.afterScan(payload.libraryId, ctx.jobId);
    },
    'library.sync-paths': async (payload, ctx) => {
      const split = await services.scan.syncPaths(payload.libraryId, payload.paths, ctx);
      if (split.batches === 0 && !ctx.signal.aborted)
        await services.insights.afterScan(payload.libraryId, ctx.jobId);
    },
    'library.ingest-batch': (payload, ctx) => services.scan.ingestBatch(payload.assetIds, ctx),
    'library.delete': (payload, ctx) => services.libraries.finishDeletion(payload.libraryId, ctx),
    'insights.analyse': async (payload, ctx) => {
      if (payload.scanJobId !== undefined)
        await services.insights.recordBatch(payload.libraryId, payload.scanJobId);
      await services.insights.analyse(payload.libraryId, ctx);
      await services.duplicates.requestAnalysis();
    },
    'duplicates.analyse': (_payload, ctx) => services.duplicates.analyse(ctx),
    'actions.apply': (payload, ctx) => services.actions.apply(payload.itemIds, ctx),
    'immich.push': (payload, ctx) =>
      services.immichWriter.applyPush(payload.libraryId, payload.writeIds, ctx),
    'trash.purge': (payload, ctx) => services.trash.purge(payload, ctx),
  };
}
