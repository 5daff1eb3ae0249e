import type { ActionRepository, KeeperMergeRecord } from '../db/repositories/action.repository.js';
import type { AssetRepository } from '../db/repositories/asset.repository.js';
import type { TrashItemRow, TrashRepository } from '../db/repositories/trash.repository.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import { purgeTrashedFile, restoreFromTrash } from '../fs/trash-store.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { ImmichRemovalRecord, ImmichWriter } from './immich-writer.js';
import type { LibraryAccess } from './library-access.js';
import type { LibraryRepository } from '../db/repositories/library.repository.js';

/** Trash entries of Immich libraries live in Immich's own trash; their path says so. */
const IMMICH_TRASH = 'immich:';

/** The trash: list, restore (undo of a removal, metadata merge included) and the purge. */
export class TrashService {
  constructor(
    private readonly trash: TrashRepository,
    private readonly actions: ActionRepository,
    private readonly assets: AssetRepository,
    private readonly access: LibraryAccess,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
    /** TRASH_RETENTION_DAYS in force now (a runtime setting), read when a purge is requested. */
    private readonly retentionDays: () => Promise<number>,
    private readonly immich: { writer: ImmichWriter; libraries: LibraryRepository } | null = null,
  ) {}

  async list(
    who: Principal,
    q: { limit: number; after: { at: Date; id: string } | null },
  ): Promise<{ items: TrashItemRow[]; next: { at: Date; id: string } | null }> {
    const libraryIds = await this.access.visibleIds(who);
    if (libraryIds.length === 0) return { items: [], next: null };
    const rows = await this.trash.listPage({ libraryIds, limit: q.limit + 1, after: q.after });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, next: rows.length > q.limit && last ? { at: last.trashed_at, id: last.id } : null };
  }

  /**
   * Moves the file back (beside its old path with a suffix if that is taken), reverts the keepers'
   * merged metadata, and queues a re-index of the file. One restore of an item wins.
   */
  async restore(
    who: Principal,
    id: string,
    origin: RequestOrigin,
  ): Promise<{ assetId: string; restoredPath: string }> {
    const item = await this.trash.findById(id);
    if (!item) throw new NotFoundError(`Trash item ${id} not found`);
    await this.access.require(who, item.library_id, 'editor', `Trash item ${id}`);
    if (!(await this.trash.claimRestore(id, item.original_path)))
      throw new ConflictError(`Trash item ${id} was already restored or purged.`);
    if (item.trash_path.startsWith(IMMICH_TRASH)) return this.restoreInImmich(who, item, origin);
    let restoredPath: string;
    try {
      restoredPath = await restoreFromTrash(item.trash_path, item.original_path);
    } catch (err) {
      await this.trash.unclaimRestore(id);
      throw err;
    }
    if (restoredPath !== item.original_path) await this.trash.claimRestoreAt(id, restoredPath);

    const asset = await this.assets.findById(item.asset_id);
    if (asset?.status === 'trashed')
      await this.assets.update(asset.id, { status: 'ready', path: restoredPath });
    const merge = item.merge as { keepers?: KeeperMergeRecord[] };
    await this.actions.revertMerge(merge.keepers ?? []);
    if (item.action_item_id) await this.actions.finishItem(item.action_item_id, 'undone');

    await this.queue.enqueue(
      'library.sync-paths',
      { libraryId: item.library_id, paths: [restoredPath] },
      { libraryId: item.library_id, requestedBy: who.userId },
    );
    await this.queue.enqueue('duplicates.analyse', {}, { dedupe: true });
    this.events.emit('library.changed', { libraryId: item.library_id, reason: 'restore' });
    await this.audit.record(who, origin, 'trash.restored', `asset:${item.asset_id}`, {
      trashItemId: id,
      originalPath: item.original_path,
      restoredPath,
    });
    return { assetId: item.asset_id, restoredPath };
  }

  /** Out of Immich's trash, the keepers' merge reverted in Immich and here; the asset is ready again. */
  private async restoreInImmich(
    who: Principal,
    item: TrashItemRow,
    origin: RequestOrigin,
  ): Promise<{ assetId: string; restoredPath: string }> {
    const lib = await this.immich?.libraries.findById(item.library_id);
    const merge = item.merge as { keepers?: KeeperMergeRecord[]; immich?: ImmichRemovalRecord };
    try {
      if (!this.immich || !lib || !merge.immich)
        throw new Error('This trash entry cannot be restored in Immich.');
      await this.immich.writer.restoreAsset(lib, merge.immich);
    } catch (err) {
      await this.trash.unclaimRestore(item.id);
      throw err;
    }
    const asset = await this.assets.findById(item.asset_id);
    if (asset?.status === 'trashed') await this.assets.update(asset.id, { status: 'ready' });
    await this.actions.revertMerge(merge.keepers ?? []);
    if (item.action_item_id) await this.actions.finishItem(item.action_item_id, 'undone');
    await this.queue.enqueue('duplicates.analyse', {}, { dedupe: true });
    this.events.emit('library.changed', { libraryId: item.library_id, reason: 'restore' });
    await this.audit.record(who, origin, 'trash.restored', `asset:${item.asset_id}`, {
      trashItemId: item.id,
      originalPath: item.original_path,
      restoredPath: item.original_path,
      immich: true,
    });
    return { assetId: item.asset_id, restoredPath: item.original_path };
  }

  /**
   * A purge of what outlived the retention: an admin's covers every library, a user's the libraries
   * they own. Nobody shortens the retention this way (`olderThanDays` below it is refused).
   */
  async requestPurge(
    who: Principal,
    olderThanDays: number | undefined,
    origin: RequestOrigin,
  ): Promise<string> {
    const retention = await this.retentionDays();
    if (olderThanDays !== undefined && olderThanDays < retention)
      throw new InvalidInputError(
        `Trashed files stay at least ${retention} days (TRASH_RETENTION_DAYS), so they can be restored. ` +
          'An administrator can empty the trash of named libraries now with {"now": true, "libraryIds": [...]}.',
      );
    const libraryIds =
      who.role === 'admin'
        ? null
        : (await this.access.visible(who)).filter((l) => l.role === 'owner').map((l) => l.id);
    // A user who owns no library has no trash to empty: refuse, rather than queue a job that
    // removes nothing (a viewer's "Empty trash" once answered 202 and did nothing).
    if (libraryIds?.length === 0)
      throw new ForbiddenError(
        'Only the owner of a library (or an administrator) can empty its trash; your shares do not allow it.',
      );
    // Without a minimum, each library's own retention decides (see purge).
    const days = olderThanDays ?? 0;
    const jobId = await this.queue.enqueue(
      'trash.purge',
      { olderThanDays: days, libraryIds },
      { requestedBy: who.userId },
    );
    await this.audit.record(who, origin, 'trash.purge-requested', `job:${jobId}`, {
      olderThanDays: days,
      libraryIds,
    });
    return jobId;
  }

  /**
   * An administrator's explicit "purge now": everything in the trash of the named libraries goes,
   * whatever its age. Audited with each library's id and name; answers which libraries it touches.
   */
  async requestPurgeNow(
    who: Principal,
    libraryIds: readonly string[],
    origin: RequestOrigin,
  ): Promise<{ jobId: string; libraries: { id: string; name: string }[] }> {
    if (who.role !== 'admin') throw new ForbiddenError('Only an administrator can empty the trash now.');
    const unique = [...new Set(libraryIds)];
    if (unique.length === 0)
      throw new InvalidInputError('Name the libraries whose trash to empty (libraryIds).');
    const libraries = await this.trash.librariesByIds(unique);
    const missing = unique.filter((id) => !libraries.some((l) => l.id === id));
    if (missing.length > 0) throw new NotFoundError(`Library ${missing.join(', ')} not found`);
    const jobId = await this.queue.enqueue(
      'trash.purge',
      { olderThanDays: 0, libraryIds: unique, now: true },
      { requestedBy: who.userId },
    );
    await this.audit.record(who, origin, 'trash.purge-now', `job:${jobId}`, { libraries });
    return { jobId, libraries };
  }

  /** The scheduled purge of everything past the retention. */
  async requestScheduledPurge(): Promise<string> {
    return this.queue.enqueue(
      'trash.purge',
      // Each library's own retention (else TRASH_RETENTION_DAYS) decides what is due: see purge.
      { olderThanDays: 0, libraryIds: null },
      { dedupe: true },
    );
  }

  async purge(
    payload: { olderThanDays: number; libraryIds: string[] | null; now?: boolean | undefined },
    ctx: JobContext,
  ): Promise<void> {
    // Each library keeps its own retention (else TRASH_RETENTION_DAYS), whatever the request asked.
    const due = await this.trash.dueForPurge({
      minDays: payload.olderThanDays,
      retentionDays: payload.now ? null : await this.retentionDays(),
      libraryIds: payload.libraryIds,
    });
    await ctx.reportProgress({ total: due.length, done: 0, failed: 0 });
    let done = 0;
    let failed = 0;
    let bytes = 0;
    for (const item of due) {
      if (ctx.signal.aborted) return;
      try {
        // Immich empties its own trash (its retention); photo-sync only forgets the entry.
        if (!item.trash_path.startsWith(IMMICH_TRASH)) await purgeTrashedFile(item.trash_path);
        await this.trash.forgetPurged(item);
        done++;
        bytes += item.size_bytes;
      } catch (err) {
        failed++;
        ctx.log.warn({ trashItemId: item.id, err }, 'could not purge a trashed file');
      }
      await ctx.reportProgress({ done, failed });
    }
    if (due.length > 0)
      await this.audit.record(null, null, 'trash.purged', `job:${ctx.jobId}`, {
        files: done,
        failed,
        bytes,
        paths: due.map((d) => d.original_path),
      });
  }
}
