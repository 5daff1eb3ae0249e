import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobRepository } from '../../db/repositories/job.repository.js';
import type { DiskGate } from '../../fs/disk-space-monitor.js';
import type { Logger } from '../../logger.js';
import type { RedisHealth } from './redis-health.js';
import { isJobName, jobsOnFullDisk, queueNames, type QueueName } from '../job-registry.js';
import type { JobRunner } from '../job-runner.js';

export interface BullWorkerOptions {
  prefix: string;
  concurrency: { readonly [Q in QueueName]: number };
  lockMs: number;
}

const HAND_BACK_DELAY_MS = 1000;
/** A job that meets a full disk waits this long in BullMQ's delayed set before it is tried again. */
const DISK_FULL_DELAY_MS = 5000;
/** How long a graceful close may wait for BullMQ before the workers are closed by force. */
const CLOSE_TIMEOUT_MS = 15_000;

/**
 * Takes jobs from the BullMQ queues and runs them through the shared JobRunner. A worker that dies
 * stops renewing its job locks; BullMQ then gives those jobs to another worker (handlers are
 * idempotent, so the repeat does no work twice). SIGTERM hands unfinished jobs back. While a disk
 * is full the workers of the queues that write are paused, and a job that meets the full disk is
 * delayed (no attempt used) instead of failing; the workers resume when space returns.
 */
export class BullWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly abort = new AbortController();

  constructor(
    private readonly runner: JobRunner,
    private readonly jobs: JobRepository,
    private readonly connect: () => Redis,
    private readonly options: BullWorkerOptions,
    private readonly log: Logger,
    private readonly health: RedisHealth,
    private readonly disk: DiskGate | null = null,
  ) {
    disk?.onChange((full) => {
      for (const w of this.workers) {
        // The maintenance queue carries the purge, which frees space: it keeps running.
        if (w.name === 'maintenance') continue;
        if (full) void w.pause(true).catch(() => undefined);
        else void w.resume().catch(() => undefined);
      }
    });
  }

  start(): void {
    for (const queue of queueNames) {
      const concurrency = this.options.concurrency[queue];
      if (concurrency === 0) continue;
      const worker = new Worker(queue, (job, token) => this.process(job, token), {
        connection: this.connect(),
        prefix: this.options.prefix,
        concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: this.options.lockMs,
        // A job whose worker was killed goes back to the queue a few times before BullMQ gives
        // up on it; the database row stays, and the sweeper dispatches it again after that.
        maxStalledCount: 5,
      });
      worker.on('error', (err) => {
        // While Redis is away every worker fails on every attempt: the health logs that once
        // per backoff step.
        if (!this.health.reachable || isConnectionError(err)) this.health.reportError(err);
        else this.log.warn({ queue, err: err.message }, 'queue worker error');
      });
      this.workers.push(worker);
      this.log.info({ queue, concurrency }, 'worker listening');
    }
  }

  private async process(job: Job, token: string | undefined): Promise<void> {
    const id = job.id ?? '';
    const row = await this.jobs.findById(id);
    if (!row) {
      this.log.warn({ jobId: id, job: job.name }, 'queued job has no database row; dropped');
      return;
    }
    if (row.status === 'failed' || row.status === 'completed') return;
    if (this.disk?.full && !(isJobName(row.type) && jobsOnFullDisk.has(row.type))) {
      await job.moveToDelayed(Date.now() + DISK_FULL_DELAY_MS, token);
      throw new DelayedError();
    }
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.runner.run(row, this.abort.signal, finalAttempt);
    if (outcome.kind === 'retrying') throw new Error(outcome.error);
    if (outcome.kind === 'paused') {
      await job.moveToDelayed(Date.now() + DISK_FULL_DELAY_MS, token);
      throw new DelayedError();
    }
    if (outcome.kind === 'interrupted') {
      // Back to the queue without using up an attempt; another worker (or this one after a
      // restart) continues where the database says.
      await job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
      throw new DelayedError();
    }
  }

  /**
   * Asks running handlers to stop at a safe point, hands their jobs back, closes the workers.
   * Without Redis nothing can be handed back (the sweeper re-dispatches from the database) and
   * a graceful close would wait for Redis forever: the workers are closed by force then.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    const force = !this.health.reachable;
    await Promise.all(
      this.workers.map(async (w) => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => {
            resolve('timeout');
          }, CLOSE_TIMEOUT_MS);
        });
        const outcome = await Promise.race([w.close(force).catch(() => undefined), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          this.log.warn({ queue: w.name }, 'queue worker did not close in time; closing it by force');
          await Promise.race([w.close(true).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
        }
      }),
    );
  }
}

/** Refused, reset, unreachable, timed out, unresolvable, or a connection closed under BullMQ. */
export function isConnectionError(err: Error): boolean {
  const code = (err as Error & { code?: unknown }).code;
  return (
    (typeof code === 'string' &&
      [
        'ECONNREFUSED',
        'ECONNRESET',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'ETIMEDOUT',
        'ENOTFOUND',
        'EAI_AGAIN',
        'EPIPE',
      ].includes(code)) ||
    /Connection is closed|connect ETIMEDOUT|Stream isn't writeable/i.test(err.message)
  );
}
