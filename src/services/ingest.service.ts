import fs from 'node:fs/promises';
import type { AssetRepository, DiscoveredFile, PendingRow } from '../db/repositories/asset.repository.js';
import type { ThumbnailStore } from '../fs/thumbnail-store.js';
import type { Logger } from '../logger.js';
import type { MediaAnalysis } from '../media/media-analysis.js';
import { assetRecordFrom } from './asset-record.js';
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

/**
 * Turns a pending asset row into an indexed asset: analysis, thumbnail on disk, metadata in the
 * database. Safe to repeat: the row is only marked ready after the thumbnail is written.
 */
export class IngestService {
  readonly stats = new IngestStats();

  constructor(
    private readonly assets: AssetRepository,
    private readonly thumbnails: ThumbnailStore,
    private readonly analyze: AnalyzeFn,
    private readonly log: Logger,
  ) {}

  /** `current` is a pending row as the scan read it (one query for all of them). */
  async ingest(current: PendingRow): Promise<IngestOutcome> {
    let analysis: MediaAnalysis;
    try {
      analysis = await this.analyze(current.path);
    } catch (err) {
      return this.recordUnreadable(current, err);
    }

    if (current.ingested_at === null && (await this.adoptIfMoved(current, analysis))) return 'moved';

    const storeStart = performance.now();
    const hasThumbnail = analysis.thumbnail !== null;
    if (analysis.thumbnail) await this.thumbnails.write(current.id, analysis.thumbnail);
    else await this.thumbnails.remove(current.id);
    const record = assetRecordFrom(analysis, current.mtime_ms, hasThumbnail);
    await this.assets.update(current.id, { ...record, attempts: current.attempts + 1 });
    this.stats.record(analysis, performance.now() - storeStart);
    if (analysis.problem)
      this.log.warn({ path: current.path, problem: analysis.problem.code }, analysis.problem.message);
    return record.status === 'failed' ? 'failed' : 'ready';
  }

  /**
   * A never-seen path whose bytes equal an asset that is gone from its own path is that asset,
   * moved or renamed: keep the old identity instead of creating a new one.
   */
  private async adoptIfMoved(placeholder: PendingRow, analysis: MediaAnalysis): Promise<boolean> {
    const candidates = await this.assets.moveCandidates(
      placeholder.library_id,
      analysis.sha256,
      analysis.bytes,
      placeholder.id,
    );
    for (const origin of candidates) {
      if (origin.status !== 'missing' && (await exists(origin.path))) continue;
      const file: DiscoveredFile = {
        path: placeholder.path,
        sizeBytes: placeholder.size_bytes,
        mtimeMs: placeholder.mtime_ms,
        inode: placeholder.inode,
      };
      await this.assets.adoptMovedFile(origin.id, placeholder.id, file);
      this.log.info(
        { assetId: origin.id, from: origin.path, to: placeholder.path },
        'file moved; asset kept',
      );
      return true;
    }
    return false;
  }

  private async recordUnreadable(row: PendingRow, err: unknown): Promise<IngestOutcome> {
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
