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
  /**
   * Index these pending assets (a chunk of a scan). Any worker may run it; rows already indexed are
   * skipped, so running it again after a crash does no work twice.
   */
  'library.ingest-batch': z.object({ libraryId: z.uuid(), assetIds: z.array(z.uuid()).min(1) }),
  /**
   * Forget a library the owner deleted (already hidden): its rows go in small batches. Files on disk
   * are never touched. Interrupted, it continues where it stopped.
   */
  'library.delete': z.object({ libraryId: z.uuid() }),
  /** Recompute exact and near-duplicate groups (incremental for near duplicates). */
  'duplicates.analyse': z.object({}),
  /** Recompute a library's versions, bursts, quality scores and suggestions (then duplicates). */
  'insights.analyse': z.object({
    libraryId: z.uuid(),
    /** Set when queued after a scan's ingest: what that scan added becomes one import batch first. */
    scanJobId: z.uuid().optional(),
  }),
  /** Apply recorded removals: move each file to the trash (or record it for a read-only library) and merge metadata. */
  'actions.apply': z.object({ itemIds: z.array(z.uuid()).min(1).max(5000) }),
  /** Write photo-sync's groups to an Immich library (stacks, albums, duplicate ids): one item per group. */
  'immich.push': z.object({ libraryId: z.uuid(), writeIds: z.array(z.uuid()).min(1).max(100_000) }),
  /** Delete trashed files older than the retention (the only place photo-sync deletes a file). */
  'trash.purge': z.object({
    olderThanDays: z.number().int().min(0).max(3650),
    /** Only these libraries; null = all (the scheduled purge, or an admin). */
    libraryIds: z.array(z.uuid()).nullable(),
    /** An administrator's "purge now": every library's own retention is skipped. */
    now: z.boolean().optional(),
  }),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;

export interface JobProgressUpdate {
  total?: number;
  done?: number;
  failed?: number;
}

/**
 * The queue (BullMQ queue, or lane of the in-process queue) each job runs on; every queue has its
 * own worker concurrency (QUEUE_CONCURRENCY_<NAME>), so a long analysis never starves ingest.
 */
export const queueNames = ['scan', 'ingest', 'analysis', 'maintenance'] as const;
export type QueueName = (typeof queueNames)[number];

export const jobQueue: { readonly [N in JobName]: QueueName } = {
  'library.scan': 'scan',
  'library.sync-paths': 'scan',
  'library.ingest-batch': 'ingest',
  'library.delete': 'maintenance',
  'duplicates.analyse': 'analysis',
  'insights.analyse': 'analysis',
  'actions.apply': 'maintenance',
  'immich.push': 'maintenance',
  'trash.purge': 'maintenance',
};

/** Jobs that must never run twice at the same time, even on different workers (whole-library work). */
export const exclusiveJobs: ReadonlySet<JobName> = new Set<JobName>([
  'duplicates.analyse',
  'insights.analyse',
]);

/**
 * Jobs that still run while a disk is full: the purge only deletes (it is how an administrator
 * frees space). Every other job writes — thumbnails, trash moves, analysis rows — and waits.
 */
export const jobsOnFullDisk: ReadonlySet<JobName> = new Set<JobName>(['trash.purge']);

export interface ChildJobs<N extends JobName> {
  name: N;
  payloads: JobPayload<N>[];
  /** Queued (deduplicated) once every child has finished. */
  then?: { name: JobName; payload: Record<string, unknown> };
}

export interface JobContext {
  readonly jobId: string;
  readonly log: Logger;
  /** Aborted when the process is shutting down; a handler should stop at the next safe point. */
  readonly signal: AbortSignal;
  reportProgress(update: JobProgressUpdate): Promise<void>;
  /**
   * Splits the rest of the work into child jobs that any worker may take. This job then waits
   * ('waiting') and completes, with their summed progress, when the last child finishes.
   */
  spawnChildren<N extends JobName>(children: ChildJobs<N>): Promise<void>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<void>;
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export const jobNames = Object.keys(jobPayloadSchemas) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobPayloadSchemas, name);
}
