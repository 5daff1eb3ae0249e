import type { JobRepository } from '../../db/repositories/job.repository.js';
import type { Logger } from '../../logger.js';
import type { BullJobQueue } from './bullmq-queue.js';

const QUEUED_GRACE_MS = 5000;
const MAX_PER_SWEEP = 1000;

/**
 * Puts back into Redis the jobs the database says are due but Redis does not hold: added while
 * Redis was down, or lost with Redis's memory, or running on a worker that vanished for longer
 * than BullMQ keeps trying. Runs on the acting scheduler (one per installation).
 */
export class JobSweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly jobs: JobRepository,
    private readonly queue: BullJobQueue,
    private readonly options: { intervalMs: number; lockMs: number },
    private readonly log: Logger,
  ) {}

  async sweep(): Promise<number> {
    const now = Date.now();
    const rows = await this.jobs.listUndispatched(
      new Date(now - QUEUED_GRACE_MS),
      new Date(now - 3 * this.options.lockMs),
      MAX_PER_SWEEP,
    );
    const missing = [];
    for (const row of rows) if (!(await this.queue.isDispatched(row))) missing.push(row);
    for (const row of missing) if (row.status === 'running') await this.jobs.markQueued(row.id, row.error);
    await this.queue.submit(missing);
    if (missing.length > 0)
      this.log.warn(
        { jobs: missing.length },
        'jobs missing from Redis were dispatched again from the database',
      );
    return missing.length;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = true;
      this.sweep()
        .catch((err: unknown) => {
          this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'job sweep skipped');
        })
        .finally(() => {
          this.sweeping = false;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
