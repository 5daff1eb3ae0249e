import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import type { AppEvents } from '../events/app-events.js';
import { isDiskFull } from '../fs/disk-full.js';
import type { DiskGate } from '../fs/disk-space-monitor.js';
import type { Logger } from '../logger.js';
import type { EnqueueOptions, JobQueue } from './job-queue.js';
import {
  isJobName,
  jobNames,
  jobPayloadSchemas,
  type ChildJobs,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobName,
  type JobPayload,
  type JobProgressUpdate,
} from './job-registry.js';

export class MissingJobHandlerError extends Error {
  constructor(names: string[]) {
    super(`No handler registered for job(s): ${names.join(', ')}. Every declared job needs one.`);
    this.name = 'MissingJobHandlerError';
  }
}

/** Refuses a handler set that leaves a declared job without a handler (checked before any work). */
export function assertEveryJobHasAHandler(handlers: JobHandlers): void {
  const missing = jobNames.filter((n) => typeof (handlers as Partial<JobHandlers>)[n] !== 'function');
  if (missing.length > 0) throw new MissingJobHandlerError(missing);
}

/** How a queue hands the runner's new rows (children, follow-ups) to its transport. */
export interface JobDispatch {
  enqueue: JobQueue['enqueue'];
  submit(rows: readonly JobRow[]): Promise<void>;
}

/** Runs `fn` so that no other process runs a job of the same name meanwhile. */
export type ExclusiveRunner = <T>(name: JobName, fn: () => Promise<T>) => Promise<T>;

export type RunOutcome =
  | { kind: 'completed' | 'waiting' | 'interrupted' | 'skipped' }
  | { kind: 'failed' | 'retrying'; error: string }
  /** A disk is full: the job is queued again, unchanged, to run once space returns. */
  | { kind: 'paused'; error: string };

type ProgressFields = Pick<
  JobRow,
  'id' | 'type' | 'library_id' | 'requested_by' | 'status' | 'total' | 'done' | 'failed'
>;

const PROGRESS_ROLLUP_MS = 1000;

/**
 * One job's life in the database, the same for the in-process queue and the BullMQ workers: the
 * row is the truth for status and progress; the transport only decides who runs what, when.
 */
export class JobRunner {
  private readonly lastProgressRollUp = new Map<string, number>();

  constructor(
    private readonly jobs: JobRepository,
    private readonly handlers: JobHandlers,
    private readonly events: AppEvents,
    private readonly dispatch: JobDispatch,
    private readonly log: Logger,
    private readonly exclusive: ExclusiveRunner = (_name, fn) => fn(),
    private readonly disk: DiskGate | null = null,
  ) {
    assertEveryJobHasAHandler(handlers);
  }

  /**
   * `finalAttempt: false` leaves a failure queued (with its error) for the transport to retry;
   * on the final attempt the job is parked as failed until someone retries it.
   */
  async run(row: JobRow, signal: AbortSignal, finalAttempt = true): Promise<RunOutcome> {
    const log = this.log.child({ jobId: row.id, job: row.type });
    if (row.status === 'completed' || row.status === 'waiting') return { kind: 'skipped' };
    if (!isJobName(row.type)) {
      const error = `Unknown job type "${row.type}"`;
      await this.jobs.finish(row.id, 'failed', error);
      return { kind: 'failed', error };
    }
    const name: JobName = row.type;
    await this.jobs.markRunning(row.id);
    let current: ProgressFields = { ...row, status: 'running' };
    this.emitProgress(current);
    let spawned: ChildJobs<JobName> | null = null;
    const ctx: JobContext = {
      jobId: row.id,
      log,
      signal,
      reportProgress: async (update: JobProgressUpdate) => {
        current = { ...current, ...update };
        await this.jobs.updateProgress(row.id, update);
        this.emitProgress(current);
        if (row.parent_id && this.progressRollUpDue(row.parent_id)) await this.rollUp(row.parent_id);
      },
      spawnChildren: async (children) => {
        if (spawned) throw new Error('spawnChildren may be called once per job');
        const schema = jobPayloadSchemas[children.name];
        const payloads = children.payloads.map((p) => schema.parse(p) as Record<string, unknown>);
        const rows = await this.jobs.createChildren(row, children.name, payloads);
        spawned = children;
        await this.dispatch.submit(rows);
        log.info({ children: rows.length, child: children.name }, 'job split into child jobs');
      },
    };
    const started = Date.now();
    try {
      const payload = jobPayloadSchemas[name].parse(row.payload);
      const handler = this.handlers[name] as JobHandler<typeof name>;
      await this.exclusive(name, () => handler(payload, ctx));
      const children = spawned as ChildJobs<JobName> | null;
      if (children) {
        // Children are out there already: never run this job again, wait for them instead.
        await this.jobs.markWaiting(row.id, children.then ?? null);
        this.emitProgress({ ...current, status: 'waiting' });
        await this.rollUp(row.id);
        return { kind: 'waiting' };
      }
      if (signal.aborted) {
        await this.jobs.markQueued(row.id, null);
        log.info('job handed back at shutdown; it resumes where the data says');
        return { kind: 'interrupted' };
      }
      await this.jobs.finish(row.id, 'completed', null);
      log.info({ ms: Date.now() - started }, 'job completed');
      this.emitProgress({ ...current, status: 'completed' });
      if (row.parent_id) await this.rollUp(row.parent_id);
      return { kind: 'completed' };
    } catch (err) {
      if (isDiskFull(err)) return this.pause(row, current, err);
      const error = err instanceof Error ? err.message : String(err);
      if (!finalAttempt) {
        log.warn({ err }, 'job failed; it will be retried');
        await this.jobs.markQueued(row.id, error);
        this.emitProgress({ ...current, status: 'queued' });
        return { kind: 'retrying', error };
      }
      log.error({ err }, 'job failed and is parked until retried');
      await this.jobs.finish(row.id, 'failed', error);
      this.emitProgress({ ...current, status: 'failed' });
      if (row.parent_id) await this.rollUp(row.parent_id);
      return { kind: 'failed', error };
    }
  }

  /**
   * No room to write: not the job's fault, so it neither fails nor uses up a retry. It goes back to
   * the queue with the reason, and the disk monitor (one log line per episode, not per job) holds
   * the queue until space returns; the handler, being idempotent, continues where the data says.
   */
  private async pause(row: JobRow, current: ProgressFields, err: unknown): Promise<RunOutcome> {
    const error = this.disk
      ? (await this.disk.reportFailure(err)).message
      : err instanceof Error
        ? err.message
        : String(err);
    try {
      await this.jobs.markQueued(row.id, `Paused: ${error}`);
    } catch (recordErr) {
      // The database's own disk is full too: the row can only be put back once there is room.
      if (!this.disk || !isDiskFull(recordErr)) throw recordErr;
      await this.disk.whenSpace();
      await this.jobs.markQueued(row.id, `Paused: ${error}`);
    }
    this.emitProgress({ ...current, status: 'queued' });
    return { kind: 'paused', error };
  }

  /** Refreshes a waiting parent's progress; on its completion, queues its follow-up job. */
  /**
   * Progress of a child moves its parent's counters at most once per PROGRESS_ROLLUP_MS (per parent,
   * per process): each roll-up sums every sibling, so rolling up on every report made a scan of
   * thousands of batches quadratic. A child's completion always rolls up (it may complete the parent).
   */
  private progressRollUpDue(parentId: string): boolean {
    const now = Date.now();
    if (now - (this.lastProgressRollUp.get(parentId) ?? 0) < PROGRESS_ROLLUP_MS) return false;
    if (this.lastProgressRollUp.size > 1000) this.lastProgressRollUp.clear();
    this.lastProgressRollUp.set(parentId, now);
    return true;
  }

  private async rollUp(parentId: string): Promise<void> {
    const result = await this.jobs.rollUp(parentId);
    if (!result) return;
    this.emitProgress(result.row);
    if (!result.justCompleted) return;
    this.log.info({ jobId: parentId, job: result.row.type }, 'job completed with all its children');
    if (result.row.library_id)
      this.events.emit('library.changed', { libraryId: result.row.library_id, reason: 'ingest' });
    const then = result.row.on_complete;
    if (then && isJobName(then.name))
      await this.dispatch.enqueue(then.name, jobPayloadSchemas[then.name].parse(then.payload), {
        dedupe: true,
      });
  }

  emitProgress(row: ProgressFields): void {
    emitJobProgress(this.events, row);
  }
}

/**
 * The row of a new job (or, with `dedupe`, of the same job still waiting), announced on the event
 * bus: the first half of every queue's `enqueue`; the transport then hands it to a runner.
 */
export async function recordJob<N extends JobName>(
  deps: { jobs: JobRepository; events: AppEvents; log: Logger },
  name: N,
  payload: JobPayload<N>,
  opts: EnqueueOptions,
): Promise<{ row: JobRow; created: boolean }> {
  const valid = jobPayloadSchemas[name].parse(payload);
  if (opts.dedupe) {
    const waiting = await deps.jobs.findQueued(name, opts.libraryId ?? null);
    if (waiting) return { row: waiting, created: false };
  }
  const row = await deps.jobs.create({
    type: name,
    libraryId: opts.libraryId ?? null,
    requestedBy: opts.requestedBy ?? null,
    payload: valid,
  });
  deps.log.info({ jobId: row.id, job: name, libraryId: row.library_id }, 'job queued');
  emitJobProgress(deps.events, row);
  return { row, created: true };
}

/** The `job.progress` event for a job row (what SSE clients and logs see). */
export function emitJobProgress(events: AppEvents, row: ProgressFields): void {
  events.emit('job.progress', {
    jobId: row.id,
    type: row.type,
    libraryId: row.library_id,
    requestedBy: row.requested_by,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
  });
}
