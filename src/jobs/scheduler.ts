import { CronExpressionParser } from 'cron-parser';
import type { LeaderLock } from '../db/leader-lock.js';
import type { Logger } from '../logger.js';

export interface ScheduledTask {
  readonly name: string;
  /** 5-field cron expression (validated by the config). */
  readonly cron: string;
  run(): Promise<void>;
}

/** What only the acting scheduler does besides its tasks (e.g. the job sweeper). */
export interface LeaderDuty {
  start(): void;
  stop(): void;
}

const LEADER_POLL_MS = 5000;
// setTimeout's limit; a later fire time is re-armed when this one elapses.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Fires periodic tasks at their cron times. Several schedulers may run (one per machine, or a
 * restarted one beside a stuck one): only the holder of the leader lock acts; the others check
 * every few seconds and take over when it goes away.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private pollTimer: NodeJS.Timeout | null = null;
  private leader = false;
  private stopped = true;

  constructor(
    private readonly tasks: readonly ScheduledTask[],
    private readonly lock: LeaderLock,
    private readonly duties: readonly LeaderDuty[],
    private readonly log: Logger,
    private readonly pollMs = LEADER_POLL_MS,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.stopped = false;
    for (const task of this.tasks) this.arm(task);
    await this.checkLeadership();
    this.pollTimer = setInterval(() => {
      void this.checkLeadership();
    }, this.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.leader) for (const d of this.duties) d.stop();
    this.leader = false;
    await this.lock.release();
  }

  /** Runs a task now (if leader): the CLI and tests use it; cron fires call it too. */
  async runTask(task: ScheduledTask): Promise<boolean> {
    if (!this.leader) return false;
    const started = Date.now();
    try {
      await task.run();
      this.log.info({ task: task.name, ms: Date.now() - started }, 'scheduled task ran');
    } catch (err) {
      this.log.error({ err, task: task.name }, 'scheduled task failed; it runs again at its next time');
    }
    return true;
  }

  private async checkLeadership(): Promise<void> {
    if (this.stopped) return;
    const now = await this.lock.tryAcquire();
    if (now === this.leader) return;
    this.leader = now;
    if (now) {
      this.log.info(
        { tasks: this.tasks.map((t) => `${t.name} (${t.cron})`) },
        'scheduler acting: this process holds the scheduler lock',
      );
      for (const d of this.duties) d.start();
    } else {
      this.log.warn('scheduler lock lost: standing by');
      for (const d of this.duties) d.stop();
    }
  }

  private arm(task: ScheduledTask): void {
    const next = CronExpressionParser.parse(task.cron).next().getTime();
    const delay = Math.max(0, next - Date.now());
    const timer = setTimeout(
      () => {
        if (this.stopped) return;
        if (delay > MAX_TIMER_MS) {
          this.arm(task);
          return;
        }
        void this.runTask(task).finally(() => {
          if (!this.stopped) this.arm(task);
        });
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(task.name, timer);
  }
}
