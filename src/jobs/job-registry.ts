import { z } from 'zod';
import type { Logger } from '../logger.js';

/**
 * Every job the system runs, declared once: its name and payload schema. Handlers are bound in
 * src/jobs/job-handlers.ts; a queue refuses to start when a declared job has no handler.
 */
export const jobPayloadSchemas = {
  /** Walk the library roots, record what changed, ingest new/changed files. */
  'library.scan': z.object({ libraryId: z.uuid() }),
  /** Re-examine specific paths reported by the file watcher (added, changed, removed or moved). */
  'library.sync-paths': z.object({ libraryId: z.uuid(), paths: z.array(z.string().min(1)).min(1) }),
  /** Recompute exact and near-duplicate groups (incremental for near duplicates). */
  'duplicates.analyse': z.object({}),
  /** Recompute a library's versions, bursts, quality scores and suggestions (then duplicates). */
  'insights.analyse': z.object({ libraryId: z.uuid() }),
  /** Apply recorded removals: move each file to the trash (or record it for a read-only library) and merge metadata. */
  'actions.apply': z.object({ itemIds: z.array(z.uuid()).min(1).max(5000) }),
  /** Delete trashed files older than the retention (the only place photo-sync deletes a file). */
  'trash.purge': z.object({
    olderThanDays: z.number().int().min(0).max(3650),
    /** Only these libraries; null = all (the scheduled purge, or an admin). */
    libraryIds: z.array(z.uuid()).nullable(),
  }),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;

export interface JobProgressUpdate {
  total?: number;
  done?: number;
  failed?: number;
}

export interface JobContext {
  readonly jobId: string;
  readonly log: Logger;
  /** Aborted when the process is shutting down; a handler should stop at the next safe point. */
  readonly signal: AbortSignal;
  reportProgress(update: JobProgressUpdate): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<void>;
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export const jobNames = Object.keys(jobPayloadSchemas) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobPayloadSchemas, name);
}
