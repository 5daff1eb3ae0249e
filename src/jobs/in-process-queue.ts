import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import type { AppEvents } from '../events/app-events.js';
import type { DiskGate } from '../fs/disk-space-monitor.js';
import type { Logger } from '../logger.js';
import type { EnqueueOptions, JobQueue } from './job-queue.js';
import { jobQueue, jobsOnFullDisk, type JobHandlers, type JobName, type JobPayload } from './job-registry.js';
import { JobRunner, recordJob } from './job-runner.js';

export { MissingJobHandlerError } from './job-runner.js';

/**
 * The embedded queue: job rows live in the database, so a crash loses nothing — on start, jobs that
 * were running are queued again and their (idempotent) handlers pick up where the data says.
 * Runs one job at a time — handlers parallelise their own work — except ingest batches: up to
 * `ingestJobsAtOnce` of them run together, so the next batch's files fill the process's file slots
 * (ScanService) while the current batch's last files finish. Any other job waits until they are done
 * and then runs alone. A failure is parked at once (no automatic retry here) and can be retried
 * through the API. While a disk is full only jobs that free space run; the rest wait, queued, and
 * the loop looks again when the disk monitor says space is back.
 */
export class InProcessQueue implements JobQueue {
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /**
   * Wake-ups so far. One that came while the loop was querying (a job queued, a batch ended) finds
   * no waiting loop: the loop sees the count moved and looks again instead of going to sleep.
   */
  private nudges = 0;
  /** Ingest batches running while the loop looks for more, by job id. */
  private readonly ingestRuns = new Map<string, Promise<void>>();
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
    private readonly ingestJobsAtOnce = 1,
    private readonly disk: DiskGate | null = null,
  ) {
    this.runner = new JobRunner(jobs, handlers, events, this, log, undefined, disk);
    disk?.onChange((full) => {
      if (!full) this.nudge();
    });
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    opts: EnqueueOptions = {},
  ): Promise<string> {
    const { row, created } = await recordJob(this, name, payload, opts);
    if (created) this.nudge();
    return row.id;
  }

  /** Rows are already queued in the database, which is all this queue reads. */
  submit(rows: readonly JobRow[]): Promise<void> {
    if (rows.length > 0) this.nudge();
    return Promise.resolve();
  }

  async retry(id: string): Promise<JobRow | null> {
    const row = await this.jobs.requeueFailed(id);
    if (row) {
      this.runner.emitProgress(row);
      this.nudge();
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
    this.nudge();
    await this.running;
    this.running = null;
  }

  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.nudge();
    });
  }

  private async loop(): Promise<void> {
    while (this.accepting()) {
      const nudgesBefore = this.nudges;
      const diskFull = this.disk?.full ?? false;
      // Running batches may not be marked running yet: never pick one of them twice.
      const next = await this.jobs.nextQueued(
        [...this.ingestRuns.keys()],
        diskFull ? [...jobsOnFullDisk] : undefined,
      );
      if (!next) {
        if (this.nudges !== nudgesBefore) continue;
        // Work held back by a full disk is not done: whoever waits for idle keeps waiting.
        if (this.ingestRuns.size === 0 && !diskFull) {
          this.busy = false;
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      this.busy = true;
      if (jobQueue[next.type as JobName] === 'ingest' && this.ingestJobsAtOnce > 1) {
        if (this.ingestRuns.size >= this.ingestJobsAtOnce) {
          await Promise.race(this.ingestRuns.values());
          continue;
        }
        const run = this.runOne(next).finally(() => {
          this.ingestRuns.delete(next.id);
          // The last batch of a scan queues the job that follows it; an idle loop must look again.
          this.nudge();
        });
        this.ingestRuns.set(next.id, run);
        continue;
      }
      await Promise.all(this.ingestRuns.values());
      // Stopped while the batches finished: leave the job queued for the next start.
      if (!this.accepting()) break;
      await this.runOne(next);
    }
    await Promise.all(this.ingestRuns.values());
  }

  private nudge(): void {
    this.nudges++;
    this.wake?.();
  }

  /** A method, not the field: `stop()` can flip it while the loop awaits. */
  private accepting(): boolean {
    return !this.stopped;
  }

  private async runOne(row: JobRow): Promise<void> {
    await this.runner.run(row, this.abort.signal).then(
      () => undefined,
      (err: unknown) => {
        // Only the database failing can get here; the row stays as it was and is retried.
        this.log.error({ err, jobId: row.id }, 'could not record the outcome of a job');
      },
    );
  }

  get isBusy(): boolean {
    return this.busy;
  }
}
