import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isIgnoredEntry } from '../domain/ignored-names.js';
import type { Logger } from '../logger.js';

export interface WatchTarget {
  libraryId: string;
  roots: readonly string[];
}

export interface WatcherCallbacks {
  /** Paths added, changed or removed under a library, batched over a short quiet period. */
  onChanges(libraryId: string, paths: string[]): void;
  /** The OS refused more watches (inotify limit): fall back to periodic rescans of the library. */
  onDegraded(libraryId: string, reason: string): void;
}

const BATCH_QUIET_MS = 1000;
const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * Watches library roots and reports changes in batches. When the kernel's watch limit is hit the
 * watcher closes itself for that library (instead of crashing or consuming memory) and says so;
 * the caller switches that library to periodic rescans.
 */
export class LibraryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly callbacks: WatcherCallbacks,
    private readonly log: Logger,
  ) {}

  async watch(target: WatchTarget): Promise<void> {
    await this.unwatch(target.libraryId);
    const watcher = watch([...target.roots], {
      ignoreInitial: true,
      followSymlinks: false,
      // A file being copied in is reported once, when it stops growing.
      awaitWriteFinish: { stabilityThreshold: 1000, pollInterval: 100 },
      ignored: (p, stats) => isIgnoredEntry(path.basename(p), stats?.isDirectory() ?? false),
    });
    const report = (p: string) => {
      this.queue(target.libraryId, p);
    };
    watcher.on('add', report).on('change', report).on('unlink', report).on('unlinkDir', report);
    watcher.on('error', (err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (LIMIT_CODES.has(code)) {
        const reason =
          `The system's file-watch limit was reached (${code}); changes in this library are picked up ` +
          'by periodic rescans instead. Raise fs.inotify.max_user_watches to restore live updates.';
        this.log.warn({ libraryId: target.libraryId, code }, reason);
        void this.unwatch(target.libraryId);
        this.callbacks.onDegraded(target.libraryId, reason);
      } else {
        this.log.warn({ libraryId: target.libraryId, err }, 'file watcher error');
      }
    });
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
    this.watchers.set(target.libraryId, watcher);
  }

  private queue(libraryId: string, p: string): void {
    let set = this.pending.get(libraryId);
    if (!set) this.pending.set(libraryId, (set = new Set()));
    set.add(p);
    clearTimeout(this.timers.get(libraryId));
    this.timers.set(
      libraryId,
      setTimeout(() => {
        const paths = [...(this.pending.get(libraryId) ?? [])];
        this.pending.delete(libraryId);
        this.timers.delete(libraryId);
        if (paths.length > 0) this.callbacks.onChanges(libraryId, paths);
      }, BATCH_QUIET_MS),
    );
  }

  async unwatch(libraryId: string): Promise<void> {
    const w = this.watchers.get(libraryId);
    this.watchers.delete(libraryId);
    clearTimeout(this.timers.get(libraryId));
    this.timers.delete(libraryId);
    this.pending.delete(libraryId);
    await w?.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.watchers.keys()].map((id) => this.unwatch(id)));
  }
}
