import type { RuntimeSettings } from '../config/runtime-settings.js';
import { PostgresLeaderLock, soleProcessLock } from '../db/leader-lock.js';
import type { LibraryRepository } from '../db/repositories/library.repository.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { TrashService } from '../services/trash.service.js';
import { Scheduler, type LeaderDuty, type ScheduledTask } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';
import type { Core } from './core.js';
import { SCHEDULE_SETTING_KEYS } from '../config/runtime-settings.js';

export const SCHEDULER_LOCK_KEY = 'photo-sync:scheduler';

/** The periodic jobs of an installation, at the cron times in force (runtime settings). */
export function scheduledTasks(
  schedules: RuntimeSettings['schedules'],
  libraries: LibraryRepository,
  queue: JobQueue,
  trash: Pick<TrashService, 'requestScheduledPurge'>,
): ScheduledTask[] {
  const tasks: ScheduledTask[] = [
    {
      // The file watcher can miss changes (network shares, downtime): a full, incremental rescan.
      name: 'reconcile',
      cron: schedules.reconcile,
      async run() {
        for (const lib of await libraries.list())
          await queue.enqueue('library.scan', { libraryId: lib.id }, { libraryId: lib.id, dedupe: true });
      },
    },
  ];
  tasks.push({
    // Files removed longer ago than the retention (TRASH_RETENTION_DAYS) leave the trash for good.
    name: 'trash-purge',
    cron: schedules.trashPurge,
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
  const scheduler = new Scheduler(
    async () =>
      scheduledTasks(
        (await core.settings.effective()).schedules,
        core.repos.libraries,
        core.queue.queue,
        core.trash,
      ),
    lock,
    duties,
    schedulerLog,
  );
  // In the split deployment the change arrives from the server over the event relay.
  core.events.on('settings.changed', (e) => {
    if (e.keys.some((k) => (SCHEDULE_SETTING_KEYS as readonly string[]).includes(k))) void scheduler.replan();
  });
  return scheduler;
}
