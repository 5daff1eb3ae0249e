import fs from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AssetRepository, DiscoveredFile, PendingRow } from '../db/repositories/asset.repository.js';
import type { LibraryRepository, LibraryRow } from '../db/repositories/library.repository.js';
import { decideRescan } from '../domain/rescan-policy.js';
import type { AppEvents } from '../events/app-events.js';
import { isDiskFull } from '../fs/disk-full.js';
import { LINK_OUTSIDE_ROOT, walkFiles } from '../fs/walk-files.js';
import type { JobContext } from '../jobs/job-registry.js';
import { NotFoundError } from '../errors.js';
import type { AnalysedFile, IngestOutcome, IngestService } from './ingest.service.js';

export interface ScanOptions {
  /** Files analysed at once by this process, across every ingest batch it runs. */
  ingestConcurrency: number;
  /** Files per `library.ingest-batch` job: the unit that workers share. */
  ingestBatchSize: number;
  ffmpegAvailable: boolean;
}

export class LibraryRootUnreachableError extends Error {
  constructor(roots: string[]) {
    super(
      `Library folder${roots.length > 1 ? 's' : ''} not reachable: ${roots.join(', ')}. ` +
        'Nothing was changed — the assets stay as they were. Mount or restore the folder, then scan again.',
    );
    this.name = 'LibraryRootUnreachableError';
  }
}

/** How a scan handed on its ingest; no batches means nothing was left to index. */
export interface IngestSplit {
  batches: number;
}

const WRITE_BATCH = 500;
const PROGRESS_EVERY_MS = 500;
/**
 * Analysed files written per database round (one update for all of them). Measured on PGlite: one
 * update per file costs ≈1.3–2.5 ms CPU plus ≈1.5 ms for the moved-file check; ten in one go ≈0.4 ms
 * per file. Small enough that progress still moves smoothly and a crash redoes little.
 */
const COMMIT_GROUP = 10;
const LOG_EVERY_MS = 5000;

function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

export class ScanService {
  /**
   * The process's file slots, shared by every batch it runs. While one batch's last files finish,
   * the next batch (QUEUE_CONCURRENCY_INGEST ≥ 2) already fills the freed slots; with one batch at a
   * time the cores idled at every batch boundary — ≈3% of a 200-file ingest in 25-file batches.
   */
  private readonly fileSlots: LimitFunction;

  constructor(
    private readonly libraries: LibraryRepository,
    private readonly assets: AssetRepository,
    private readonly ingest: IngestService,
    private readonly events: AppEvents,
    private readonly options: ScanOptions,
  ) {
    this.fileSlots = pLimit(options.ingestConcurrency);
  }

  private async library(id: string): Promise<LibraryRow> {
    const lib = await this.libraries.findById(id);
    if (!lib) throw new NotFoundError(`Library ${id} does not exist`);
    return lib;
  }

  /** Full scan: walk, record changes, mark vanished files missing, ingest everything pending. */
  async scanLibrary(libraryId: string, ctx: JobContext): Promise<IngestSplit> {
    const lib = await this.library(libraryId);
    const reachable: string[] = [];
    const unreachable: string[] = [];
    for (const root of lib.roots) {
      const st = await fs.stat(root).catch(() => null);
      (st?.isDirectory() ? reachable : unreachable).push(root);
    }
    if (reachable.length === 0) throw new LibraryRootUnreachableError(unreachable);
    const interrupted: IngestSplit = { batches: 0 };
    if (unreachable.length > 0)
      ctx.log.warn({ unreachable }, new LibraryRootUnreachableError(unreachable).message);

    const known = await this.assets.knownFiles(libraryId);
    const seen = new Set<string>();
    const unreadableDirs: string[] = [];
    let batch: DiscoveredFile[] = [];
    let walked = 0;
    let walkProblems = 0;

    for (const root of reachable) {
      for await (const entry of walkFiles(root)) {
        if (ctx.signal.aborted) return interrupted;
        if (entry.type === 'problem') {
          walkProblems++;
          // A link leading out of the root is skipped for good (what it indexed before goes missing);
          // an unreadable folder only hides what is under it for this walk.
          if (entry.code !== LINK_OUTSIDE_ROOT) unreadableDirs.push(entry.path);
          ctx.log.warn({ path: entry.path, code: entry.code }, entry.message);
          continue;
        }
        walked++;
        const previous = known.get(entry.path);
        if (previous) seen.add(previous.id);
        const decision = decideRescan(previous, entry, this.options.ffmpegAvailable);
        if (decision === 'skip') continue;
        if (decision === 'restore' && previous) {
          await this.assets.update(previous.id, { status: 'ready' });
          continue;
        }
        batch.push(entry);
        if (batch.length >= WRITE_BATCH) {
          await this.assets.upsertPending(libraryId, batch);
          batch = [];
        }
      }
    }
    await this.assets.upsertPending(libraryId, batch);

    // Only what a complete walk could have seen may be declared missing: not files under an
    // unreachable root or a folder we could not read.
    const candidates = [...known.values()].filter(
      (k) => reachable.some((r) => isUnder(k.path, r)) && !unreadableDirs.some((d) => isUnder(k.path, d)),
    );
    const missing = await this.assets.markMissingExcept(
      libraryId,
      seen,
      candidates.map((k) => k.id),
    );
    ctx.log.info({ libraryId, walked, walkProblems, missing }, 'library walk finished');

    await this.libraries.markScanned(libraryId, new Date());
    this.events.emit('library.changed', { libraryId, reason: 'scan' });
    return this.splitIngest(libraryId, ctx);
  }

  /** Paths reported by the watcher: each is re-examined alone, with the same rules as a scan. */
  async syncPaths(libraryId: string, paths: readonly string[], ctx: JobContext): Promise<IngestSplit> {
    const lib = await this.library(libraryId);
    const toIngest: DiscoveredFile[] = [];
    for (const p of paths) {
      if (!lib.roots.some((r) => isUnder(p, r))) continue;
      // Never through a link out of the library (the walker's rule): such a path counts as gone.
      const st = await statInsideRoots(p, lib.roots);
      if (st?.isFile()) {
        const current = {
          path: p,
          sizeBytes: st.size,
          mtimeMs: st.mtimeMs,
          inode: `${st.dev}:${st.ino}`,
        };
        const previous = await this.assets.findByPath(libraryId, p);
        const decision = decideRescan(
          previous && {
            sizeBytes: previous.size_bytes,
            mtimeMs: previous.mtime_ms,
            inode: previous.inode,
            status: previous.status,
            problemCode: previous.problem_code,
          },
          current,
          this.options.ffmpegAvailable,
        );
        if (decision === 'ingest') toIngest.push(current);
        else if (decision === 'restore' && previous)
          await this.assets.update(previous.id, { status: 'ready' });
      } else if (!st) {
        await this.assets.markMissingByPath(libraryId, p);
      }
    }
    await this.assets.upsertPending(libraryId, toIngest);
    this.events.emit('library.changed', { libraryId, reason: 'watch' });
    return this.splitIngest(libraryId, ctx);
  }

  /**
   * Hands every pending row of the library to `library.ingest-batch` child jobs, so that several
   * workers share one ingest and each row is in exactly one batch; the insight analysis (then the
   * duplicate analysis) is queued once the last batch is done. Nothing pending: nothing to wait for.
   */
  private async splitIngest(libraryId: string, ctx: JobContext): Promise<IngestSplit> {
    const ids = await this.assets.pendingIds(libraryId);
    this.ingest.stats.reset();
    await ctx.reportProgress({ total: ids.length, done: 0, failed: 0 });
    if (ids.length === 0) return { batches: 0 };
    // Dealt out like cards (file i goes to batch i mod n), not cut in runs: costly files cluster by
    // folder (a phone's HEIC export, a video folder), and one batch holding all of them would keep
    // one worker busy long after the others ran out of work.
    const count = Math.ceil(ids.length / this.options.ingestBatchSize);
    const batches: string[][] = Array.from({ length: count }, () => []);
    ids.forEach((id, i) => batches[i % count]?.push(id));
    const payloads = batches.map((assetIds) => ({ libraryId, assetIds }));
    await ctx.spawnChildren({
      name: 'library.ingest-batch',
      payloads,
      then: { name: 'insights.analyse', payload: { libraryId, scanJobId: ctx.jobId } },
    });
    return { batches: payloads.length };
  }

  /**
   * Ingests those of `assetIds` that are still pending in the process's file slots, reporting
   * progress. Rows indexed by an earlier, interrupted run of the same batch count as done.
   */
  async ingestBatch(assetIds: readonly string[], ctx: JobContext): Promise<void> {
    const pending = await this.assets.pendingRowsByIds(assetIds);
    const total = assetIds.length;
    const libraryId = pending[0]?.library_id;
    let done = total - pending.length;
    let failed = 0;
    let lastProgress = 0;
    let lastLog = Date.now();
    await ctx.reportProgress({ total, done, failed });

    const count = async (outcomes: readonly IngestOutcome[]): Promise<void> => {
      done += outcomes.length;
      failed += outcomes.filter((o) => o === 'failed').length;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        await ctx.reportProgress({ done, failed });
      }
      if (now - lastLog >= LOG_EVERY_MS) {
        lastLog = now;
        ctx.log.info({ libraryId, done, failed, total }, 'ingest progress');
      }
    };
    // A full disk stops the batch: what is left stays pending, and the job (paused, not failed)
    // runs again once space returns. The first such error is the one the job ends with.
    let noRoom = null as Error | null;
    // Analysed files are written in groups (see IngestService.commit): one update per group.
    let analysed: AnalysedFile[] = [];
    const flush = async (): Promise<void> => {
      const group = analysed;
      analysed = [];
      if (group.length === 0 || noRoom !== null) return;
      let outcomes: IngestOutcome[];
      try {
        outcomes = await this.ingest.commit(group);
      } catch (err) {
        if (isDiskFull(err)) {
          noRoom ??= err;
          return;
        }
        // A database hiccup must not end the scan: the rows stay pending for the next scan.
        ctx.log.error({ err, files: group.length }, 'cannot record analysed files');
        outcomes = group.map(() => 'failed');
      }
      await count(outcomes);
    };
    const analyse = async (row: PendingRow): Promise<AnalysedFile | IngestOutcome | null> => {
      // A shutdown (or a full disk) leaves the rest pending for the next run.
      if (ctx.signal.aborted || noRoom !== null) return null;
      try {
        return await this.ingest.analyse(row);
      } catch (err) {
        if (isDiskFull(err)) {
          noRoom ??= err;
          return null;
        }
        // A bug on one file must not end the scan; the row stays pending for the next scan.
        ctx.log.error({ err, path: row.path }, 'ingest failed unexpectedly');
        return 'failed';
      }
    };
    await Promise.all(
      pending.map(async (row) => {
        // The slot is held for the analysis only: writing the group must not keep the next file waiting.
        const result = await this.fileSlots(analyse, row);
        if (result === null) return;
        if (typeof result === 'string') await count([result]);
        else {
          analysed.push(result);
          if (analysed.length >= COMMIT_GROUP) await flush();
        }
      }),
    );
    await flush();
    if (noRoom !== null) throw noRoom;
    await ctx.reportProgress({ done, failed });
    ctx.log.debug({ libraryId, done, failed, total }, 'ingest batch finished');
  }
}

/** `stat` of a path whose real path is inside one of `roots`; null when it is gone or leads out. */
async function statInsideRoots(p: string, roots: readonly string[]): Promise<Stats | null> {
  const real = await fs.realpath(p).catch(() => null);
  if (real === null || !roots.some((r) => isUnder(real, r))) return null;
  return fs.stat(real).catch(() => null);
}
