import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { createCore } from './core.js';
import { startHeartbeat } from './heartbeat.js';
import { createScheduler } from './scheduled-tasks.js';

export interface BackgroundProcess {
  start(): Promise<void>;
  /** Graceful: running jobs stop at a safe point and go back to the queue. */
  stop(): Promise<void>;
}

/**
 * `worker`: runs jobs from the shared queues (per-queue concurrency from the config).
 * `scheduler`: fires periodic jobs and re-dispatches jobs Redis lost — acting only while it holds
 * the scheduler lock, so starting two is safe.
 */
export async function createBackgroundProcess(
  config: Config,
  log: Logger,
  role: 'worker' | 'scheduler',
): Promise<BackgroundProcess> {
  if (role === 'worker' && config.libvipsThreads !== null) {
    const { default: sharp } = await import('sharp');
    sharp.concurrency(config.libvipsThreads);
  }
  const core = await createCore(config, log, role);
  const scheduler = role === 'scheduler' ? createScheduler(core, log) : null;
  let stopHeartbeat: () => void = () => undefined;
  return {
    async start() {
      // The scheduler listens: a settings change from the server re-plans its cron times.
      await core.queue.startEventRelay({ listen: role === 'scheduler' });
      if (role === 'worker') await core.queue.startWorkers();
      await scheduler?.start();
      await core.queue.firstOutcome();
      // Healthy while both the database and the queue transport (Redis) answer: a worker that
      // cannot reach Redis runs nothing, and its container must say so.
      stopHeartbeat = startHeartbeat(config.heartbeatFile, async () => {
        await core.database.ping();
        await core.queue.checkReachable();
      });
      core.queue.checkReachable().then(
        () => {
          log.info({ queues: config.queue.concurrency }, `photo-sync ${role} is running`);
        },
        () => {
          log.warn(
            { queues: config.queue.concurrency },
            `photo-sync ${role} started but cannot reach Redis: unhealthy until it answers`,
          );
        },
      );
    },
    async stop() {
      stopHeartbeat();
      await scheduler?.stop();
      await core.queue.stopWorkers();
      await core.close();
    },
  };
}
