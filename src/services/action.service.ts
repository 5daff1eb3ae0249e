import type {
  ActionItemRow,
  ActionRepository,
  KeeperMergeRecord,
} from '../db/repositories/action.repository.js';
import { ActiveRemovalExistsError } from '../db/repositories/action.repository.js';
import type { LibraryRepository, LibraryRow } from '../db/repositories/library.repository.js';
import type { TrashRepository } from '../db/repositories/trash.repository.js';
import { mergeMetadata } from '../domain/metadata-merge.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import { isDiskFull } from '../fs/disk-full.js';
import { moveIntoTrash, rootOf, trashPathFor } from '../fs/trash-store.js';
import { ImmichError } from '../immich/immich-client.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { ImmichWriter } from './immich-writer.js';
import type { LibraryAccess } from './library-access.js';

/** One file to remove, from any source: a duplicate group today; versions, bursts, quality later. */
export interface RemovalRequest {
  assetId: string;
  /** The copies that stay and inherit the removed file's metadata. */
  keepAssetIds: string[];
  source: string;
  sourceId: string | null;
  reason: string | null;
}

export const MAX_ITEMS_PER_REQUEST = 5000;

/**
 * Applies "remove these, keep those" decisions as a job: each removed file moves to its library's
 * trash (a rename, never an unlink), its metadata merges into the keepers, and each item records
 * its own result. Read-only libraries get the decision recorded for export instead.
 */
export class ActionService {
  constructor(
    private readonly actions: ActionRepository,
    private readonly trash: TrashRepository,
    private readonly libraries: LibraryRepository,
    private readonly access: LibraryAccess,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
    /** Removals of Immich libraries go through Immich's API (absent: such items fail). */
    private readonly immich: ImmichWriter | null = null,
  ) {}

  async requestRemovals(
    who: Principal,
    requests: readonly RemovalRequest[],
    origin: RequestOrigin,
  ): Promise<{ jobId: string; itemIds: string[] }> {
    if (requests.length === 0)
      throw new InvalidInputError('Nothing to apply: the request names no file to remove.');
    if (requests.length > MAX_ITEMS_PER_REQUEST)
      throw new InvalidInputError(`At most ${MAX_ITEMS_PER_REQUEST} files per request; split the request.`);
    const removed = new Set(requests.map((r) => r.assetId));
    if (removed.size !== requests.length)
      throw new InvalidInputError('The same file is named twice in this request.');
    const kept = new Set(requests.flatMap((r) => r.keepAssetIds));
    const both = [...kept].filter((k) => removed.has(k));
    if (both.length > 0)
      throw new InvalidInputError(`Files cannot be both kept and removed: ${both.join(', ')}`);

    const assets = new Map((await this.actions.assetsByIds([...removed, ...kept])).map((a) => [a.id, a]));
    for (const id of [...removed, ...kept])
      if (!assets.has(id)) throw new NotFoundError(`Asset ${id} not found`);
    const lib = (id: string) => assets.get(id)?.library_id ?? '';
    await this.access.requireAll(who, [...kept].map(lib), 'viewer', 'Asset');
    await this.access.requireAll(who, [...removed].map(lib), 'editor', 'Asset');
    for (const id of removed)
      if (assets.get(id)?.status === 'trashed')
        throw new ConflictError(`Asset ${id} is already in the trash.`);

    let items: ActionItemRow[];
    try {
      items = await this.actions.insertRemovals(
        requests.map((r) => ({
          libraryId: lib(r.assetId),
          assetId: r.assetId,
          keeperAssetIds: r.keepAssetIds,
          source: r.source,
          sourceId: r.sourceId,
          reason: r.reason,
          requestedBy: who.userId,
        })),
      );
    } catch (err) {
      if (err instanceof ActiveRemovalExistsError)
        throw new ConflictError(
          'These files are already being removed (or were removed) by an earlier request.',
        );
      throw err;
    }
    const itemIds = items.map((i) => i.id);
    const libraryIds = new Set(items.map((i) => i.library_id));
    const jobId = await this.queue.enqueue(
      'actions.apply',
      { itemIds },
      { libraryId: libraryIds.size === 1 ? [...libraryIds][0] : null, requestedBy: who.userId },
    );
    await this.actions.attachToJob(itemIds, jobId);
    await this.audit.record(who, origin, 'actions.requested', `job:${jobId}`, {
      count: items.length,
      sources: [...new Set(requests.map((r) => `${r.source}:${r.sourceId ?? ''}`))],
      assetIds: [...removed],
    });
    return { jobId, itemIds };
  }

  /** The job: idempotent — items already finished are counted, not redone. */
  async apply(itemIds: readonly string[], ctx: JobContext): Promise<void> {
    const items = await this.actions.findItems(itemIds);
    await this.actions.attachToJob(itemIds, ctx.jobId);
    let done = items.filter(
      (i) => i.status === 'applied' || i.status === 'recorded' || i.status === 'skipped',
    ).length;
    let failed = items.filter((i) => i.status === 'failed').length;
    await ctx.reportProgress({ total: items.length, done, failed });
    const changed = new Set<string>();
    // An Immich server that is down or refuses the key would fail every other item of its library
    // the same way, after the retries' backoff each time: those items fail at once with its reason.
    const outages = new Map<string, string>();
    for (const item of items) {
      if (item.status !== 'pending') continue;
      if (ctx.signal.aborted) return;
      try {
        const outage = outages.get(item.library_id);
        if (outage !== undefined) throw new Error(`Not tried: ${outage}`);
        await this.applyOne(item);
        done++;
        changed.add(item.library_id);
      } catch (err) {
        // No room to move into the trash: the item stays pending and the job pauses until space returns.
        if (isDiskFull(err)) throw err;
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof ImmichError && (err.code === 'unreachable' || err.code === 'unauthorized'))
          outages.set(item.library_id, message);
        ctx.log.warn({ itemId: item.id, assetId: item.asset_id, err: message }, 'removal failed');
        await this.actions.finishItem(item.id, 'failed', message);
        failed++;
      }
      await ctx.reportProgress({ done, failed });
    }
    for (const libraryId of changed) this.events.emit('library.changed', { libraryId, reason: 'actions' });
    const requester = items[0]?.requested_by ?? null;
    await this.audit.record(
      requester ? { userId: requester, email: null } : null,
      null,
      'actions.applied',
      `job:${ctx.jobId}`,
      {
        done,
        failed,
      },
    );
    if (changed.size > 0) await this.queue.enqueue('duplicates.analyse', {}, { dedupe: true });
  }

  private async applyOne(item: ActionItemRow): Promise<void> {
    const [asset] = await this.actions.assetsByIds([item.asset_id]);
    const library = await this.libraries.findById(item.library_id);
    if (!asset || !library) throw new Error('The file or its library was removed from photo-sync meanwhile.');
    if (library.kind === 'immich') {
      await this.applyInImmich(item, asset, library);
      return;
    }
    if (library.read_only) {
      // Nothing is written to a read-only library: the owner exports the move list and runs it.
      await this.actions.finishItem(item.id, 'recorded');
      return;
    }
    const root = rootOf(asset.path, library.roots);
    if (!root) throw new Error(`${asset.path} is not inside the library folders any more.`);
    const entry = await this.trash.ensureForItem({
      actionItemId: item.id,
      libraryId: library.id,
      assetId: asset.id,
      originalPath: asset.path,
      trashPath: trashPathFor(root, item.id, asset.path),
      sizeBytes: asset.size_bytes,
      trashedBy: item.requested_by,
    });
    await moveIntoTrash(asset.path, entry.trash_path);
    await this.actions.commitRemoval({
      itemId: item.id,
      assetId: asset.id,
      trashItemId: entry.id,
      keepers: await this.localMerge(asset.id, item.keeper_asset_ids),
    });
  }

  /**
   * Immich: the keepers' metadata is merged in Immich, the asset goes to Immich's trash, and the same
   * merge is recorded here; an asset Immich no longer has is skipped and reported, not failed.
   */
  private async applyInImmich(
    item: ActionItemRow,
    asset: { id: string; path: string; size_bytes: number },
    library: LibraryRow,
  ): Promise<void> {
    if (!this.immich) throw new Error('This process cannot write to Immich.');
    const outcome = await this.immich.removeAsset(library, asset.id, item.keeper_asset_ids);
    if ('skipped' in outcome) {
      await this.actions.finishItem(item.id, 'skipped', outcome.skipped);
      return;
    }
    const entry = await this.trash.ensureForItem({
      actionItemId: item.id,
      libraryId: library.id,
      assetId: asset.id,
      originalPath: asset.path,
      trashPath: `immich:${outcome.record.externalId}`,
      sizeBytes: asset.size_bytes,
      trashedBy: item.requested_by,
    });
    await this.actions.commitRemoval({
      itemId: item.id,
      assetId: asset.id,
      trashItemId: entry.id,
      keepers: await this.localMerge(asset.id, item.keeper_asset_ids),
      extra: { immich: outcome.record },
    });
  }

  private async localMerge(assetId: string, keeperIds: readonly string[]) {
    const removedMeta = await this.actions.readMetadata(assetId);
    const removedAlbums = await this.actions.albumsOf(assetId);
    const keepers: { assetId: string; after: ReturnType<typeof mergeMetadata>; record: KeeperMergeRecord }[] =
      [];
    for (const keeperId of keeperIds) {
      const before = await this.actions.readMetadata(keeperId);
      if (!before || !removedMeta) continue;
      const keeperAlbums = new Set(await this.actions.albumsOf(keeperId));
      keepers.push({
        assetId: keeperId,
        after: mergeMetadata(before, removedMeta),
        record: {
          assetId: keeperId,
          before,
          addedAlbumIds: removedAlbums.filter((a) => !keeperAlbums.has(a)),
        },
      });
    }
    return keepers;
  }

  async results(jobId: string): Promise<ActionItemRow[]> {
    return this.actions.itemsOfJob(jobId);
  }

  /** Recorded removals of a read-only library (owner or editor), for the CSV and script exports. */
  async recorded(who: Principal, libraryId: string) {
    await this.access.require(who, libraryId, 'editor');
    const lib = await this.libraries.findById(libraryId);
    return { libraryName: lib?.name ?? libraryId, rows: await this.actions.recordedFor(libraryId) };
  }
}
