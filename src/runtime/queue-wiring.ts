import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import type { DatabaseHandle } from '../db/database.js';
import type { JobRepository } from '../db/repositories/job.repository.js';
import type { AppEvents } from '../events/app-events.js';
import { RedisEventRelay } from '../events/redis-event-relay.js';
import { BullJobQueue } from '../jobs/bullmq/bullmq-queue.js';
import { BullWorkerPool, isConnectionError } from '../jobs/bullmq/bullmq-worker.js';
import { JobSweeper } from '../jobs/bullmq/job-sweeper.js';
import { closeRedis, createRedis } from '../jobs/bullmq/redis-connection.js';
import { RedisHealth } from '../jobs/bullmq/redis-health.js';
import { InProcessQueue } from '../jobs/in-process-queue.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { exclusiveJobs, type JobHandlers } from '../jobs/job-registry.js';
import { JobRunner, type ExclusiveRunner } from '../jobs/job-runner.js';
import type { DiskGate } from '../fs/disk-space-monitor.js';
import type { Logger } from '../logger.js';

/**
 * The job queue of one process: the in-process queue (embedded), or BullMQ on Redis with the
 * pieces a role asks for — workers, the event relay, the sweeper. Same handlers either way.
 */
export interface QueueWiring {
  readonly queue: JobQueue;
  readonly transport: 'in-process' | 'bullmq';
  /** Runs jobs in this process (in-process loop, or BullMQ workers per queue concurrency). */
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  /** Shares events with other processes; `listen` also receives theirs (servers do). */
  startEventRelay(opts: { listen: boolean }): Promise<void>;
  /** BullMQ only: the sweeper that re-dispatches jobs Redis lost (the acting scheduler runs it). */
  createSweeper(): JobSweeper | null;
  /** Rejects while the queue transport is unreachable (Redis down); for heartbeats. */
  checkReachable(): Promise<void>;
  /** Resolves once the transport first connected or failed (at once for the in-process queue). */
  firstOutcome(): Promise<void>;
  close(): Promise<void>;
}

export function createQueue(deps: {
  config: Config;
  database: DatabaseHandle;
  jobs: JobRepository;
  events: AppEvents;
  handlers: JobHandlers;
  log: Logger;
  /** Holds back work that writes while a disk is full. */
  disk: DiskGate | null;
}): QueueWiring {
  const { config, database, jobs, events, handlers, disk } = deps;
  const log = deps.log.child({ component: 'jobs' });
  if (!config.redisUrl) {
    const queue = new InProcessQueue(jobs, handlers, events, log, config.queue.concurrency.ingest, disk);
    return {
      queue,
      transport: 'in-process',
      startWorkers: () => queue.start(),
      stopWorkers: () => queue.stop(),
      startEventRelay: () => Promise.resolve(),
      createSweeper: () => null,
      checkReachable: () => Promise.resolve(),
      firstOutcome: () => Promise.resolve(),
      close: () => queue.stop(),
    };
  }

  const url = config.redisUrl;
  const connections: Redis[] = [];
  const health = new RedisHealth(log);
  const connect = (kind: 'command' | 'blocking') => {
    const redis = createRedis(url, kind, health);
    connections.push(redis);
    return redis;
  };
  const queue = new BullJobQueue(jobs, events, connect('command'), config.queue, log, (err) => {
    if (!health.reachable || isConnectionError(err)) health.reportError(err);
    else log.warn({ err: err.message }, 'queue error');
  });
  const exclusive: ExclusiveRunner = (name, fn) =>
    exclusiveJobs.has(name) ? withAdvisoryLock(database, `photo-sync:job:${name}`, fn) : fn();
  let pool: BullWorkerPool | null = null;
  let relay: RedisEventRelay | null = null;
  return {
    queue,
    transport: 'bullmq',
    startWorkers() {
      const runner = new JobRunner(jobs, handlers, events, queue, log, exclusive, disk);
      pool = new BullWorkerPool(runner, jobs, () => connect('blocking'), config.queue, log, health, disk);
      pool.start();
      return Promise.resolve();
    },
    async stopWorkers() {
      await pool?.stop();
      pool = null;
    },
    async startEventRelay({ listen }) {
      relay = new RedisEventRelay(
        events,
        connect('command'),
        listen ? connect('blocking') : null,
        config.queue.prefix,
        log,
      );
      await relay.start();
    },
    createSweeper: () =>
      new JobSweeper(jobs, queue, { intervalMs: config.queue.sweepMs, lockMs: config.queue.lockMs }, log),
    checkReachable: () => health.assertReachable(),
    firstOutcome: () => health.firstOutcome(),
    async close() {
      // Without Redis, replies will never come: drop the connections first so that nothing
      // below waits for one.
      if (!health.reachable) for (const c of connections) c.disconnect();
      await pool?.stop();
      relay?.stop();
      await queue.stop();
      await Promise.all(connections.map(closeRedis));
    },
  };
}
