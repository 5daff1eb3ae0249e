import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import type { AppEvents } from '../events/app-events.js';
import type { Logger } from '../logger.js';
import type { EnqueueOptions, JobQueue } from './job-queue.js';
import type { JobHandlers, JobName, JobPayload } from './job-registry.js';
import { JobRunner, recordJob } from './job-runner.js';

export { MissingJobHandlerError } from './job-runner.js';

/**
 * The embedded queue: job rows live in the database, so a crash loses nothing — on start, jobs that
 * were running are queued again and their (idempotent) handlers pick up where the data says.
 * Runs one job at a time; handlers parallelise their own work. A failure is parked at once (no
 * automatic retry here) and can be retried through the API.
 */
export class InProcessQueue implements JobQueue {
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopped = true;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private busy = false;
  private readonly runner: JobRunner;

  constructor(
    readonly jobs: JobRepository,
    handlers: JobHandlers,
    readonly events: AppEvents,
    readonly log: Logger,
  ) {
    this.runner = new JobRunner(jobs, handlers, events, this, log);
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    opts: EnqueueOptions = {},
  ): Promise<string> {
    const { row, created } = await recordJob(this, name, payload, opts);
    if (created) this.wake?.();
    return row.id;
  }

  /** Rows are already queued in the database, which is all this queue reads. */
  submit(rows: readonly JobRow[]): Promise<void> {
    if (rows.length > 0) this.wake?.();
    return Promise.resolve();
  }

  async retry(id: string): Promise<JobRow | null> {
    const row = await this.jobs.requeueFailed(id);
    if (row) {
      this.runner.emitProgress(row);
      this.wake?.();
    }
    return row;
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
      await this.runner.run(next, this.abort.signal).catch((err: unknown) => {
        // Only the database failing can get here; the row stays as it was and is retried.
        this.log.error({ err, jobId: next.id }, 'could not record the outcome of a job');
      });
    }
  }

  get isBusy(): boolean {
    return this.busy;
  }
}
