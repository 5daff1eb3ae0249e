import type { Config } from '../config/config.js';
import { PostgresLeaderLock, soleProcessLock } from '../db/leader-lock.js';
import type { LibraryRepository } from '../db/repositories/library.repository.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { TrashService } from '../services/trash.service.js';
import { Scheduler, type LeaderDuty, type ScheduledTask } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';
import type { Core } from './core.js';

export const SCHEDULER_LOCK_KEY = 'photo-sync:scheduler';

/** The periodic jobs of an installation, with their configured cron times. */
export function scheduledTasks(
  config: Config,
  libraries: LibraryRepository,
  queue: JobQueue,
  trash: Pick<TrashService, 'requestScheduledPurge'>,
): ScheduledTask[] {
  const tasks: ScheduledTask[] = [
    {
      // The file watcher can miss changes (network shares, downtime): a full, incremental rescan.
      name: 'reconcile',
      cron: config.schedules.reconcile,
      async run() {
        for (const lib of await libraries.list())
          await queue.enqueue('library.scan', { libraryId: lib.id }, { libraryId: lib.id, dedupe: true });
      },
    },
  ];
  tasks.push({
    // Files removed longer ago than TRASH_RETENTION_DAYS leave the trash for good.
    name: 'trash-purge',
    cron: config.schedules.trashPurge,
    run: async () => {
      await trash.requestScheduledPurge();
    },
  });
  return tasks;
}

/** The acting scheduler's periodic tasks, plus the job sweeper when jobs go through Redis. */
export function createScheduler(core: Core, log: Logger): Scheduler {
  const { config } = core;
  const lock = config.databaseUrl
    ? new PostgresLeaderLock(config.databaseUrl, SCHEDULER_LOCK_KEY)
    : soleProcessLock;
  const sweeper = core.queue.createSweeper();
  const duties: LeaderDuty[] = sweeper ? [sweeper] : [];
  const schedulerLog = log.child({ component: 'scheduler' });
  return new Scheduler(
    scheduledTasks(config, core.repos.libraries, core.queue.queue, core.trash),
    lock,
    duties,
    schedulerLog,
  );
}
