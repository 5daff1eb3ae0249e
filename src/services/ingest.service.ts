import fs from 'node:fs/promises';
import type {
  AssetRepository,
  AssetRow,
  DiscoveredFile,
  PendingRow,
} from '../db/repositories/asset.repository.js';
import { isDiskFull } from '../fs/disk-full.js';
import type { ThumbnailStore } from '../fs/thumbnail-store.js';
import type { Logger } from '../logger.js';
import type { MediaAnalysis } from '../media/media-analysis.js';
import { assetRecordFrom, statusAfterAnalysis } from './asset-record.js';
import { IngestStats } from './ingest-stats.js';

/** Reads and analyses one file; throws `{ code }` errors (errno) when the file cannot be read. */
export type AnalyzeFn = (absPath: string) => Promise<MediaAnalysis>;

export type IngestOutcome = 'ready' | 'failed' | 'moved' | 'vanished';

const unreadableReasons: Record<string, string> = {
  EACCES: 'permission denied — give the photo-sync user read access to it',
  EPERM: 'permission denied — give the photo-sync user read access to it',
  EIO: 'input/output error — the disk or network share may be failing',
  EISDIR: 'it is a directory',
};

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** A file analysed and waiting for its database write (see IngestService.commit). */
export interface AnalysedFile {
  row: PendingRow;
  analysis: MediaAnalysis;
}

/**
 * Turns pending asset rows into indexed assets: analysis, thumbnail on disk, metadata in the
 * database. Split in two so a batch of files is written together (one query for the moved-file
 * check, one update for all rows) instead of two queries per file. Safe to repeat: a row is only
 * marked ready after its thumbnail is written; a crash before the write leaves it pending.
 */
export class IngestService {
  readonly stats = new IngestStats();
  /** Commits run one at a time, so two of them never adopt the same moved file. */
  private committing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly assets: AssetRepository,
    private readonly thumbnails: ThumbnailStore,
    private readonly analyze: AnalyzeFn,
    private readonly log: Logger,
  ) {}

  /** One file, analysed and written. */
  async ingest(current: PendingRow): Promise<IngestOutcome> {
    const analysed = await this.analyse(current);
    if (typeof analysed === 'string') return analysed;
    const [outcome] = await this.commit([analysed]);
    return outcome ?? 'failed';
  }

  /** Reads and analyses the file; an unreadable or vanished file is recorded at once. */
  async analyse(current: PendingRow): Promise<AnalysedFile | IngestOutcome> {
    try {
      return { row: current, analysis: await this.analyze(current.path) };
    } catch (err) {
      return this.recordUnreadable(current, err);
    }
  }

  /** Writes analysed files: moved files adopt their old asset, the rest get thumbnails and one update. */
  commit(files: readonly AnalysedFile[]): Promise<IngestOutcome[]> {
    const run = this.committing.then(() => this.commitNow(files));
    this.committing = run.catch(() => undefined);
    return run;
  }

  private async commitNow(files: readonly AnalysedFile[]): Promise<IngestOutcome[]> {
    const storeStart = performance.now();
    const moved = await this.adoptMoved(files);
    const writes = files.filter((f) => !moved.has(f));
    // Thumbnails first: a row marked ready always has its thumbnail on disk.
    const written = await Promise.allSettled(
      writes.map(({ row, analysis }) =>
        analysis.thumbnail
          ? this.thumbnails.write(row.id, analysis.thumbnail)
          : this.thumbnails.remove(row.id),
      ),
    );
    let noRoom = null as Error | null;
    const stored = new Set(
      writes.filter((file, i) => {
        const result = written[i];
        if (result?.status !== 'rejected') return true;
        // A full disk is no fault of the file: the job pauses (one log line from the disk monitor)
        // and the row, still pending, is written once space returns.
        if (isDiskFull(result.reason)) noRoom ??= result.reason;
        // The row stays pending and is tried again by the next scan.
        else this.log.error({ err: result.reason, path: file.row.path }, 'cannot write the thumbnail');
        return false;
      }),
    );
    await this.assets.updateMany(
      [...stored].map(({ row, analysis }) => ({
        id: row.id,
        values: {
          ...assetRecordFrom(analysis, row.mtime_ms, analysis.thumbnail !== null),
          attempts: row.attempts + 1,
        },
      })),
    );
    const storeMs = (performance.now() - storeStart) / Math.max(1, files.length);
    for (const { row, analysis } of stored) {
      this.stats.record(analysis, storeMs);
      if (analysis.problem)
        this.log.warn({ path: row.path, problem: analysis.problem.code }, analysis.problem.message);
    }
    if (noRoom !== null) throw noRoom;
    return files.map((f) => {
      if (moved.has(f)) return 'moved';
      return stored.has(f) && statusAfterAnalysis(f.analysis) !== 'failed' ? 'ready' : 'failed';
    });
  }

  /**
   * A never-seen path whose bytes equal an asset that is gone from its own path is that asset,
   * moved or renamed: keep the old identity instead of creating a new one. One query for the
   * whole batch; the moves themselves are rare.
   */
  private async adoptMoved(files: readonly AnalysedFile[]): Promise<Set<AnalysedFile>> {
    const moved = new Set<AnalysedFile>();
    const fresh = files.filter((f) => f.row.ingested_at === null);
    const adopted = new Set<string>();
    for (const libraryId of new Set(fresh.map((f) => f.row.library_id))) {
      const inLibrary = fresh.filter((f) => f.row.library_id === libraryId);
      const candidates = await this.assets.moveCandidatesFor(
        libraryId,
        inLibrary.map((f) => ({ sha256: f.analysis.sha256, sizeBytes: f.analysis.bytes })),
      );
      for (const file of inLibrary) {
        const origins = candidates.get(`${file.analysis.sha256}:${file.analysis.bytes}`) ?? [];
        for (const origin of origins) {
          if (origin.id === file.row.id || adopted.has(origin.id)) continue;
          if (origin.status !== 'missing' && (await exists(origin.path))) continue;
          await this.adopt(origin, file.row);
          adopted.add(origin.id);
          moved.add(file);
          break;
        }
      }
    }
    return moved;
  }

  private async adopt(origin: AssetRow, placeholder: PendingRow): Promise<void> {
    const file: DiscoveredFile = {
      path: placeholder.path,
      sizeBytes: placeholder.size_bytes,
      mtimeMs: placeholder.mtime_ms,
      inode: placeholder.inode,
    };
    await this.assets.adoptMovedFile(origin.id, placeholder.id, file);
    this.log.info({ assetId: origin.id, from: origin.path, to: placeholder.path }, 'file moved; asset kept');
  }

  private async recordUnreadable(row: PendingRow, err: unknown): Promise<IngestOutcome> {
    // Reading needs room too (a video's frame goes through a temporary file): not the file's fault.
    if (isDiskFull(err)) throw err;
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';
    if (code === 'ENOENT') {
      // Deleted between the walk and now. A file we never indexed simply was not there.
      if (row.ingested_at === null) await this.assets.deleteById(row.id);
      else await this.assets.markMissingByPath(row.library_id, row.path);
      this.log.info({ path: row.path }, 'file disappeared before it could be read');
      return 'vanished';
    }
    const reason = unreadableReasons[code] ?? (err instanceof Error ? err.message : String(err));
    const message = `Cannot read ${row.path}: ${reason}. It will be tried again on the next scan.`;
    await this.assets.update(row.id, {
      status: 'failed',
      problem_code: 'unreadable',
      problem_message: message,
      attempts: row.attempts + 1,
    });
    this.log.warn({ path: row.path, code }, message);
    return 'failed';
  }
}
