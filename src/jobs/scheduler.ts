import { CronExpressionParser } from 'cron-parser';
import type { LeaderLock } from '../db/leader-lock.js';
import type { Logger } from '../logger.js';

export interface ScheduledTask {
  readonly name: string;
  /** 5-field cron expression (validated like the config's; a runtime setting). */
  readonly cron: string;
  run(): Promise<void>;
}

/** What only the acting scheduler does besides its tasks (e.g. the job sweeper). */
export interface LeaderDuty {
  start(): void;
  stop(): void;
}

const LEADER_POLL_MS = 5000;
// Schedules are re-read this often even without a change notice (pub/sub may drop one).
const REPLAN_MS = 60_000;
// setTimeout's limit; a later fire time is re-armed when this one elapses.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Fires periodic tasks at their cron times. Several schedulers may run (one per machine, or a
 * restarted one beside a stuck one): only the holder of the leader lock acts; the others check
 * every few seconds and take over when it goes away. The cron times are runtime settings: `plan`
 * gives the tasks as they are now, and `replan` (on a settings change, on taking the lead and every
 * `replanMs` in case a change notice was lost) re-arms those whose time changed.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly nextFire = new Map<string, Date>();
  private tasks = new Map<string, ScheduledTask>();
  private pollTimer: NodeJS.Timeout | null = null;
  private replanTimer: NodeJS.Timeout | null = null;
  private leader = false;
  private stopped = true;

  constructor(
    private readonly plan: () => Promise<readonly ScheduledTask[]>,
    private readonly lock: LeaderLock,
    private readonly duties: readonly LeaderDuty[],
    private readonly log: Logger,
    private readonly pollMs = LEADER_POLL_MS,
    private readonly replanMs = REPLAN_MS,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** Each task's cron time and when it fires next, as armed now. */
  planned(): { name: string; cron: string; next: Date }[] {
    return [...this.tasks.values()].map((t) => ({
      name: t.name,
      cron: t.cron,
      next: this.nextFire.get(t.name) as Date,
    }));
  }

  task(name: string): ScheduledTask | undefined {
    return this.tasks.get(name);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.replan();
    await this.checkLeadership();
    this.pollTimer = setInterval(() => {
      void this.checkLeadership();
    }, this.pollMs);
    this.replanTimer = setInterval(() => {
      void this.replan();
    }, this.replanMs);
    this.replanTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.replanTimer) clearInterval(this.replanTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.leader) for (const d of this.duties) d.stop();
    this.leader = false;
    await this.lock.release();
  }

  /** Reads the tasks again and re-arms each one whose cron time changed; the rest keep their timer. */
  async replan(): Promise<void> {
    if (this.stopped) return;
    let next: readonly ScheduledTask[];
    try {
      next = await this.plan();
    } catch (err) {
      this.log.error({ err }, 'could not read the schedules; keeping the current plan');
      return;
    }
    const names = new Set(next.map((t) => t.name));
    for (const name of [...this.tasks.keys()].filter((n) => !names.has(n))) this.disarm(name);
    const previous = this.tasks;
    this.tasks = new Map(next.map((t) => [t.name, t]));
    for (const task of next) {
      const before = previous.get(task.name);
      if (before?.cron === task.cron && this.timers.has(task.name)) continue;
      this.disarm(task.name);
      this.arm(task);
      if (before) this.log.info({ task: task.name, from: before.cron, to: task.cron }, 'schedule changed');
    }
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
      await this.replan();
      this.log.info(
        { tasks: [...this.tasks.values()].map((t) => `${t.name} (${t.cron})`) },
        'scheduler acting: this process holds the scheduler lock',
      );
      for (const d of this.duties) d.start();
    } else {
      this.log.warn('scheduler lock lost: standing by');
      for (const d of this.duties) d.stop();
    }
  }

  private disarm(name: string): void {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
    this.nextFire.delete(name);
  }

  private arm(task: ScheduledTask): void {
    const next = CronExpressionParser.parse(task.cron).next().getTime();
    this.nextFire.set(task.name, new Date(next));
    const delay = Math.max(0, next - Date.now());
    const timer: NodeJS.Timeout = setTimeout(
      () => {
        if (this.stopped || this.timers.get(task.name) !== timer) return;
        if (delay > MAX_TIMER_MS) {
          this.arm(task);
          return;
        }
        void this.runTask(task).finally(() => {
          // A re-plan while the task ran armed its new time already.
          if (!this.stopped && this.timers.get(task.name) === timer) this.arm(task);
        });
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(task.name, timer);
  }
}
