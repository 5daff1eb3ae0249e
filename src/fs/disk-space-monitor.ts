import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiskFullError, DiskFullPlace } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  describeDiskFull,
  existingAncestor,
  formatBytes,
  mountPointOf,
  spaceAt,
  SQLSTATE_DISK_FULL,
  toDiskFullError,
} from './disk-full.js';

export interface DiskSpaceOptions {
  /** Folders photo-sync writes to (data dir, thumbnails, previews, the embedded database). */
  paths: readonly string[];
  /** The embedded database's folder: its SQLSTATE 53100 errors are about that filesystem. */
  databaseDir: string | null;
  /** Below this many free bytes a watched filesystem counts as full before a write fails; 0: off. */
  floorBytes: number;
  /** How often free space is read while all is well, and while a disk is full. */
  checkEveryMs?: number;
  checkWhileFullEveryMs?: number;
  /** At most one "still full" line per this many milliseconds. */
  remindEveryMs?: number;
  /** A full database server cannot be measured from here: its work is simply tried again after this. */
  databaseRetryMs?: number;
  log: Logger;
  now?: () => number;
}

/** One filesystem (or the database server) that is full right now. */
export interface DiskCondition extends DiskFullPlace {
  reason: 'below-floor' | 'write-failed';
  since: string;
}

/** What the job queues ask: is a disk full, and when may work that writes start again. */
export interface DiskGate {
  readonly full: boolean;
  /** Records a failed write (entering the disk-full state) and returns its typed error. */
  reportFailure(err: unknown): Promise<DiskFullError>;
  /** Resolves when no disk is full (at once when none is). */
  whenSpace(): Promise<void>;
  /** Called with `true` on entering the disk-full state and `false` on leaving it. */
  onChange(listener: (full: boolean) => void): void;
}

/** What is full and what to do, for logs and /health/ready. */
export function describeCondition(c: DiskCondition): string {
  if (c.reason === 'write-failed' || c.code !== 'below-floor') return describeDiskFull(c);
  const free = c.freeBytes === null ? 'little' : formatBytes(c.freeBytes);
  const where = c.mountPoint ? `mounted at ${c.mountPoint}` : `of ${c.path ?? 'the database'}`;
  return `${free} free on the filesystem ${where}, below the floor (DISK_FREE_FLOOR_MB); free space there or grow the volume.`;
}

/** A disk that fills again this soon after it recovered gets no new warning. */
const RELAPSE_QUIET_MS = 5000;

/** A write of this size must succeed before a disk that failed a write counts as usable again. */
const PROBE_BYTES = 256 * 1024;

interface Tracked {
  condition: DiskCondition;
  /** The folder whose filesystem this is (null: the database server). */
  dir: string | null;
  sinceMs: number;
}

/**
 * Watches the free space of the filesystems photo-sync writes to. A disk counts as full when a
 * write fails with ENOSPC/EDQUOT (or the database says 53100), or when its free space falls below
 * the floor. While one is full, the job queues hold back work that writes (failed items are
 * retried, never parked as failed), /health/ready reports `degraded` saying which disk and how much
 * is free, and the log gets one warning on entering, a reminder at most every `remindEveryMs`, and one
 * line when space is back — never one line per failed file.
 */
export class DiskSpaceMonitor implements DiskGate {
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners: ((full: boolean) => void)[] = [];
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private lastLogAt = -Infinity;
  private wasFull = false;
  private episodeStart = 0;
  /** Whether this episode's warning was logged (its recovery is then logged too). */
  private episodeLogged = false;
  private readonly now: () => number;
  private readonly checkEveryMs: number;
  private readonly checkWhileFullEveryMs: number;
  private readonly remindEveryMs: number;
  private readonly databaseRetryMs: number;

  constructor(private readonly opts: DiskSpaceOptions) {
    this.now = opts.now ?? Date.now;
    this.checkEveryMs = opts.checkEveryMs ?? 10_000;
    this.checkWhileFullEveryMs = opts.checkWhileFullEveryMs ?? 1000;
    this.remindEveryMs = opts.remindEveryMs ?? 30_000;
    this.databaseRetryMs = opts.databaseRetryMs ?? 30_000;
  }

  get full(): boolean {
    return this.tracked.size > 0;
  }

  conditions(): DiskCondition[] {
    return [...this.tracked.values()].map((t) => ({ ...t.condition }));
  }

  /** One check now, then one every few seconds (more often while a disk is full). */
  async start(): Promise<void> {
    await this.check();
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Nothing more will clear the condition: let waiters go, they look at `full` again.
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  onChange(listener: (full: boolean) => void): void {
    this.listeners.push(listener);
  }

  whenSpace(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async reportFailure(err: unknown): Promise<DiskFullError> {
    const code = (err as { code?: unknown } | null)?.code;
    const errPath = (err as { path?: unknown } | null)?.path;
    // A database error is about the embedded database's folder (or the server's own disk); an
    // errno without a path (a failed write(2)) is most likely about the data dir.
    const where =
      code === SQLSTATE_DISK_FULL
        ? this.opts.databaseDir
        : typeof errPath === 'string'
          ? errPath
          : (this.opts.paths[0] ?? null);
    const error = await toDiskFullError(err, where);
    const dir = error.place.path === null ? null : await existingAncestor(error.place.path);
    const key = await this.keyOf(dir);
    if (!this.tracked.has(key)) {
      this.enter(key, dir, { ...error.place, reason: 'write-failed', since: '' });
    } else {
      this.opts.log.debug({ path: error.place.path, code: error.place.code }, 'write refused: disk full');
    }
    return error;
  }

  /** Reads every watched filesystem once: enters or leaves the disk-full state as the figures say. */
  check(): Promise<void> {
    this.checking ??= this.checkNow().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkNow(): Promise<void> {
    const seen = new Set<string>();
    for (const p of this.opts.paths) {
      const dir = await existingAncestor(p);
      const key = await this.keyOf(dir);
      if (seen.has(key)) continue;
      seen.add(key);
      const figures = await spaceAt(dir).catch(() => null);
      if (!figures) continue;
      const low =
        this.opts.floorBytes > 0 && figures.freeBytes < this.opts.floorBytes
          ? true
          : figures.freeInodes === 0;
      if (low && !this.tracked.has(key))
        this.enter(key, dir, {
          path: p,
          mountPoint: await mountPointOf(dir).catch(() => null),
          freeBytes: figures.freeBytes,
          totalBytes: figures.totalBytes,
          code: figures.freeInodes === 0 ? 'ENOSPC' : 'below-floor',
          reason: 'below-floor',
          since: '',
        });
    }
    for (const [key, t] of [...this.tracked]) {
      if (await this.usableAgain(t)) this.tracked.delete(key);
    }
    if (this.tracked.size === 0 && this.wasFull) this.leave();
    else if (this.full && this.now() - this.lastLogAt >= this.remindEveryMs) {
      this.lastLogAt = this.now();
      this.opts.log.warn(
        { disks: this.conditions(), fullForMs: this.now() - this.episodeStart },
        'disk still full; work that writes stays paused',
      );
    }
  }

  /** Free space back above the floor, and a real write goes through (quotas, inodes, reserved blocks). */
  private async usableAgain(t: Tracked): Promise<boolean> {
    if (t.dir === null) return this.now() - t.sinceMs >= this.databaseRetryMs;
    const figures = await spaceAt(t.dir).catch(() => null);
    if (!figures) return false;
    t.condition.freeBytes = figures.freeBytes;
    t.condition.totalBytes = figures.totalBytes;
    if (figures.freeBytes < Math.max(this.opts.floorBytes, PROBE_BYTES)) return false;
    if (figures.freeInodes === 0) return false;
    const probe = path.join(t.dir, `.photo-sync-space-probe-${randomBytes(4).toString('hex')}`);
    try {
      await fs.writeFile(probe, Buffer.alloc(PROBE_BYTES));
      return true;
    } catch {
      return false;
    } finally {
      await fs.rm(probe, { force: true }).catch(() => undefined);
    }
  }

  private enter(key: string, dir: string | null, condition: DiskCondition): void {
    const sinceMs = this.now();
    condition.since = new Date(sinceMs).toISOString();
    this.tracked.set(key, { condition, dir, sinceMs });
    const first = !this.wasFull;
    this.wasFull = true;
    if (first) this.episodeStart = sinceMs;
    // One line per episode, and never more often than the reminder allows; a disk that fills again
    // moments after it recovered (a write bigger than the space freed) does not start a new line.
    const gap = first ? RELAPSE_QUIET_MS : this.remindEveryMs;
    this.episodeLogged = first ? false : this.episodeLogged;
    if (this.now() - this.lastLogAt >= gap) {
      this.lastLogAt = this.now();
      this.episodeLogged = true;
      this.opts.log.warn(
        { disk: condition, floorBytes: this.opts.floorBytes },
        `disk full: ${describeCondition(condition)} Work that writes is paused until space returns.`,
      );
    }
    if (first) {
      for (const l of this.listeners) l(true);
      this.schedule();
    }
  }

  private leave(): void {
    this.wasFull = false;
    const fullForMs = this.now() - this.episodeStart;
    if (this.episodeLogged) this.opts.log.info({ fullForMs }, 'disk space recovered; work resumes');
    else this.opts.log.debug({ fullForMs }, 'disk space recovered; work resumes');
    for (const l of this.listeners) l(false);
    for (const resolve of this.waiters.splice(0)) resolve();
    this.schedule();
  }

  /** Filesystems are told apart by device number; the database server is one place of its own. */
  private async keyOf(dir: string | null): Promise<string> {
    if (dir === null) return 'database';
    const st = await fs.stat(dir).catch(() => null);
    return st ? `dev:${st.dev}` : `path:${dir}`;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const delay = this.full ? this.checkWhileFullEveryMs : this.checkEveryMs;
    this.timer = setTimeout(() => {
      this.check()
        .catch((err: unknown) => {
          this.opts.log.warn({ err }, 'could not read free disk space');
        })
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, delay);
    this.timer.unref();
  }
}
