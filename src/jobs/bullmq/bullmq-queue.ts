import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobRepository, JobRow } from '../../db/repositories/job.repository.js';
import type { AppEvents } from '../../events/app-events.js';
import type { Logger } from '../../logger.js';
import type { EnqueueOptions, JobQueue } from '../job-queue.js';
import {
  isJobName,
  jobQueue,
  queueNames,
  type JobName,
  type JobPayload,
  type QueueName,
} from '../job-registry.js';
import { emitJobProgress, recordJob, type JobDispatch } from '../job-runner.js';

export interface BullQueueOptions {
  prefix: string;
  attempts: number;
  backoffMs: number;
}

const IDLE_POLL_MS = 200;

/**
 * Enqueues through BullMQ on Redis. The database row is written first and is the truth (status,
 * progress, errors); the BullMQ job carries only the row id (same id), so the two never disagree
 * about what the job is. If Redis is away the row stays queued and the sweeper dispatches it.
 */
export class BullJobQueue implements JobQueue, JobDispatch {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    readonly jobs: JobRepository,
    readonly events: AppEvents,
    connection: Redis,
    private readonly options: BullQueueOptions,
    readonly log: Logger,
    /** Where the queues' connection errors go (without a listener BullMQ prints raw stacks). */
    onError: (err: Error) => void = (err) => {
      log.warn({ err: err.message }, 'queue error');
    },
  ) {
    for (const name of queueNames) {
      const queue = new Queue(name, { connection, prefix: options.prefix, skipWaitingForReady: true });
      queue.on('error', onError);
      this.queues.set(name, queue);
    }
  }

  private queueOf(name: JobName): Queue {
    return this.queues.get(jobQueue[name]) as Queue;
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    opts: EnqueueOptions = {},
  ): Promise<string> {
    const { row, created } = await recordJob(this, name, payload, opts);
    if (created) await this.submit([row]);
    return row.id;
  }

  /** Adds the rows' BullMQ jobs (id = row id, so adding twice is harmless). Never throws. */
  async submit(rows: readonly JobRow[]): Promise<void> {
    const byQueue = new Map<QueueName, JobRow[]>();
    for (const row of rows) {
      if (!isJobName(row.type)) continue;
      const q = jobQueue[row.type];
      byQueue.set(q, [...(byQueue.get(q) ?? []), row]);
    }
    for (const [q, list] of byQueue) {
      try {
        await this.queues.get(q)?.addBulk(
          list.map((row) => ({
            name: row.type,
            data: {},
            opts: {
              jobId: row.id,
              attempts: this.options.attempts,
              backoff: { type: 'exponential', delay: this.options.backoffMs },
              removeOnComplete: true,
              removeOnFail: true,
            },
          })),
        );
      } catch (err) {
        this.log.warn(
          { err: err instanceof Error ? err.message : String(err), jobs: list.length, queue: q },
          'could not reach Redis; the jobs stay queued in the database and are dispatched when it is back',
        );
      }
    }
  }

  /** Whether Redis holds this job (waiting, delayed, active). Throws when Redis is unreachable. */
  async isDispatched(row: JobRow): Promise<boolean> {
    if (!isJobName(row.type)) return true;
    return (await this.queueOf(row.type).getJob(row.id)) !== undefined;
  }

  async retry(id: string): Promise<JobRow | null> {
    const row = await this.jobs.requeueFailed(id);
    if (row) {
      emitJobProgress(this.events, row);
      await this.submit([row]);
    }
    return row;
  }

  /** A producer has nothing to start: workers run the jobs. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }

  /** Idle when the database has no queued, running or waiting job (workers may be elsewhere). */
  async whenIdle(): Promise<void> {
    while ((await this.jobs.countUnfinished()) > 0)
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
  }
}
