import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import type { AppEvents } from '../events/app-events.js';
import type { Logger } from '../logger.js';
import type { EnqueueOptions, JobQueue } from './job-queue.js';
import {
  isJobName,
  jobNames,
  jobPayloadSchemas,
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

/**
 * The embedded queue: job rows live in the database, so a crash loses nothing — on start, jobs that
 * were running are queued again and their (idempotent) handlers pick up where the data says.
 * Runs one job at a time; handlers parallelise their own work.
 */
export class InProcessQueue implements JobQueue {
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopped = true;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private busy = false;

  constructor(
    private readonly jobs: JobRepository,
    private readonly handlers: JobHandlers,
    private readonly events: AppEvents,
    private readonly log: Logger,
  ) {
    const missing = jobNames.filter((n) => typeof (handlers as Partial<JobHandlers>)[n] !== 'function');
    if (missing.length > 0) throw new MissingJobHandlerError(missing);
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    opts: EnqueueOptions = {},
  ): Promise<string> {
    const valid = jobPayloadSchemas[name].parse(payload);
    if (opts.dedupe) {
      const waiting = await this.jobs.findQueued(name, opts.libraryId ?? null);
      if (waiting) return waiting.id;
    }
    const row = await this.jobs.create({
      type: name,
      libraryId: opts.libraryId ?? null,
      requestedBy: opts.requestedBy ?? null,
      payload: valid,
    });
    this.log.info({ jobId: row.id, job: name, libraryId: row.library_id }, 'job queued');
    this.emitProgress(row);
    this.wake?.();
    return row.id;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const requeued = await this.jobs.requeueInterrupted();
    if (requeued > 0) this.log.warn({ requeued }, 'jobs interrupted by a previous stop were queued again');
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.running;
    this.running = null;
  }

  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake?.();
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const next = await this.jobs.nextQueued();
      if (!next) {
        this.busy = false;
        for (const resolve of this.idleWaiters.splice(0)) resolve();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      this.busy = true;
      await this.run(next);
    }
  }

  private async run(row: JobRow): Promise<void> {
    const log = this.log.child({ jobId: row.id, job: row.type });
    if (!isJobName(row.type)) {
      await this.jobs.finish(row.id, 'failed', `Unknown job type "${row.type}"`);
      return;
    }
    await this.jobs.markRunning(row.id);
    let current = { ...row, status: 'running' as const };
    this.emitProgress(current);
    const ctx: JobContext = {
      jobId: row.id,
      log,
      signal: this.abort.signal,
      reportProgress: async (update: JobProgressUpdate) => {
        current = { ...current, ...update };
        await this.jobs.updateProgress(row.id, update);
        this.emitProgress(current);
      },
    };
    const started = Date.now();
    try {
      const name: JobName = row.type;
      const payload = jobPayloadSchemas[name].parse(row.payload);
      const handler = this.handlers[name] as JobHandler<typeof name>;
      await handler(payload, ctx);
      if (this.abort.signal.aborted) {
        // Interrupted by shutdown: leave it running so the next start queues it again.
        log.info('job interrupted by shutdown; it resumes on next start');
        return;
      }
      await this.jobs.finish(row.id, 'completed', null);
      log.info({ ms: Date.now() - started }, 'job completed');
      this.emitProgress({ ...current, status: 'completed' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error({ err }, 'job failed');
      await this.jobs.finish(row.id, 'failed', message);
      this.emitProgress({ ...current, status: 'failed' });
    }
  }

  private emitProgress(
    row: Pick<JobRow, 'id' | 'type' | 'library_id' | 'requested_by' | 'status' | 'total' | 'done' | 'failed'>,
  ): void {
    this.events.emit('job.progress', {
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

  get isBusy(): boolean {
    return this.busy;
  }
}
