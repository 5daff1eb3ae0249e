import type { AssetResponseDto } from '@immich/sdk';
import pLimit from 'p-limit';
import type {
  ImmichPushRepository,
  ImmichRepository,
  ImmichWriteJob,
  ImmichWriteRow,
  PushCandidate,
} from '../db/repositories/immich.repository.js';
import type { LibraryRepository, LibraryRow } from '../db/repositories/library.repository.js';
import type { ImmichWriteKind } from '../db/schema.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import { ImmichError, type ImmichClient } from '../immich/immich-client.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

/** A keeper's Immich metadata before a merge, and the albums the merge added it to. */
export interface ImmichKeeperRecord {
  externalId: string;
  isFavorite: boolean;
  rating: number | null;
  description: string;
  addedAlbumIds: string[];
}

/** What undoing one removal in Immich needs (kept in `trash_items.merge.immich`). */
export interface ImmichRemovalRecord {
  externalId: string;
  keepers: ImmichKeeperRecord[];
}

export type ImmichRemovalOutcome = { skipped: string } | { record: ImmichRemovalRecord };

export interface PushRequest {
  stacks: boolean;
  albums: boolean;
  duplicates: boolean;
}

/** Write jobs listed on an Immich library's card. */
const RECENT_JOBS = 20;

/** Immich assets looked up at once while a push checks what still exists. */
const LOOKUP_CONCURRENCY = 4;

function isGone(err: unknown): boolean {
  return err instanceof ImmichError && (err.code === 'not-found' || err.code === 'bad-request');
}

/**
 * Everything photo-sync writes to Immich: removals into Immich's trash with the metadata merged
 * into the keeper first (as Immich's own duplicate resolve does), and push jobs that create
 * stacks, albums and duplicate ids, each recorded per item so the job can be undone.
 */
export class ImmichWriter {
  constructor(
    private readonly clientFor: (lib: LibraryRow) => ImmichClient,
    private readonly repo: ImmichRepository,
    private readonly push: ImmichPushRepository,
    private readonly libraries: LibraryRepository,
    private readonly access: LibraryAccess,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
  ) {}

  /** Looks an asset up; null when Immich no longer has it or it is in Immich's trash. */
  private async live(client: ImmichClient, externalId: string): Promise<AssetResponseDto | null> {
    try {
      const a = await client.asset(externalId);
      return a.isTrashed ? null : a;
    } catch (err) {
      if (isGone(err)) return null;
      throw err;
    }
  }

  /**
   * One removal: merge favourite, rating, description and albums into each keeper, then move the
   * asset to Immich's trash (never `force`). An asset Immich no longer has is skipped, not failed.
   */
  async removeAsset(
    lib: LibraryRow,
    assetId: string,
    keeperAssetIds: readonly string[],
  ): Promise<ImmichRemovalOutcome> {
    const client = this.clientFor(lib);
    const ids = await this.repo.externalIds([assetId, ...keeperAssetIds]);
    const externalId = ids.get(assetId);
    if (!externalId) return { skipped: 'The asset has no Immich id.' };
    const removed = await this.live(client, externalId);
    if (!removed) return { skipped: 'Deleted or trashed in Immich since the analysis; nothing was changed.' };
    const removedAlbums = (await client.albumsOf(externalId)).map((a) => a.id);
    const keepers: ImmichKeeperRecord[] = [];
    for (const keeperId of keeperAssetIds) {
      const keeperExternal = ids.get(keeperId);
      const keeper = keeperExternal ? await this.live(client, keeperExternal) : null;
      if (!keeperExternal || !keeper) continue;
      const before = {
        isFavorite: keeper.isFavorite,
        rating: keeper.exifInfo?.rating ?? null,
        description: keeper.exifInfo?.description ?? '',
      };
      const removedRating = removed.exifInfo?.rating ?? null;
      const removedDescription = removed.exifInfo?.description ?? '';
      const update = {
        ...(removed.isFavorite && !before.isFavorite ? { isFavorite: true } : {}),
        ...(removedRating !== null && (before.rating === null || removedRating > before.rating)
          ? { rating: removedRating }
          : {}),
        ...(before.description.trim() === '' && removedDescription.trim() !== ''
          ? { description: removedDescription }
          : {}),
      };
      if (Object.keys(update).length > 0) await client.updateAsset(keeperExternal, update);
      const keeperAlbums = new Set((await client.albumsOf(keeperExternal)).map((a) => a.id));
      const addedAlbumIds: string[] = [];
      for (const albumId of removedAlbums) {
        if (keeperAlbums.has(albumId)) continue;
        const [result] = await client.addToAlbum(albumId, [keeperExternal]);
        if (result?.success) addedAlbumIds.push(albumId);
      }
      keepers.push({ externalId: keeperExternal, ...before, addedAlbumIds });
    }
    await client.trash([externalId]);
    return { record: { externalId, keepers } };
  }

  /** Undo of a removal: out of Immich's trash, and each keeper's merge reverted. */
  async restoreAsset(lib: LibraryRow, record: ImmichRemovalRecord): Promise<void> {
    const client = this.clientFor(lib);
    await client.restore([record.externalId]);
    for (const k of record.keepers) {
      await client
        .updateAsset(k.externalId, { isFavorite: k.isFavorite, rating: k.rating, description: k.description })
        .catch((err: unknown) => {
          if (!isGone(err)) throw err;
        });
      for (const albumId of k.addedAlbumIds)
        await client.removeFromAlbum(albumId, [k.externalId]).catch((err: unknown) => {
          if (!isGone(err)) throw err;
        });
    }
  }

  /** Queues a push of the library's stacks / albums / duplicate groups; one item per group. */
  async requestPush(
    who: Principal,
    libraryId: string,
    what: PushRequest,
    origin: RequestOrigin,
  ): Promise<{ jobId: string; items: number }> {
    await this.access.require(who, libraryId, 'editor');
    const lib = await this.libraries.findById(libraryId);
    if (!lib) throw new NotFoundError(`Library ${libraryId} not found`);
    if (lib.kind !== 'immich') throw new InvalidInputError(`Library ${lib.name} is not an Immich library.`);
    // An album already created in Immich (by accepting its suggestion) is not created again.
    const albums = what.albums ? await this.push.albums(libraryId) : [];
    const written = await this.repo.activeSubjects(
      libraryId,
      'album',
      albums.map((a) => a.subjectId),
    );
    const candidates: PushCandidate[] = [
      ...(what.stacks ? await this.push.stacks(libraryId) : []),
      ...albums.filter((a) => !written.has(a.subjectId)),
      ...(what.duplicates ? await this.push.duplicates(libraryId) : []),
    ];
    if (candidates.length === 0)
      throw new InvalidInputError('Nothing to write: the analysis found no group of the chosen kinds.');
    return this.enqueueWrites(who, libraryId, candidates, origin, 'immich.push-requested', { ...what });
  }

  /**
   * A decision taken in photo-sync (a burst's kept frames, a version stack's primary, an accepted
   * suggestion, triage "accept all") written to the Immich library it concerns, as a push job with
   * per-item results and undo. Returns the job and its number of items; null for a folder library,
   * or when nothing is left to write:
   * with `once`, a subject that already has a write queued or applied is not written again.
   */
  async writeDecisions(
    who: Principal,
    libraryId: string,
    candidates: readonly PushCandidate[],
    origin: RequestOrigin,
    options: { once?: boolean } = {},
  ): Promise<{ jobId: string; items: number } | null> {
    const lib = await this.libraries.findById(libraryId);
    if (lib?.kind !== 'immich') return null;
    let todo = candidates.filter((c) => c.assetIds.length >= (c.kind === 'album' ? 1 : 2));
    if (options.once)
      for (const kind of new Set(todo.map((c) => c.kind))) {
        const active = await this.repo.activeSubjects(
          libraryId,
          kind,
          todo.filter((c) => c.kind === kind).map((c) => c.subjectId),
        );
        todo = todo.filter((c) => c.kind !== kind || !active.has(c.subjectId));
      }
    if (todo.length === 0) return null;
    const kinds = [...new Set(todo.map((c) => c.kind))];
    return this.enqueueWrites(who, libraryId, todo, origin, 'immich.decision-written', { kinds });
  }

  private async enqueueWrites(
    who: Principal,
    libraryId: string,
    candidates: readonly PushCandidate[],
    origin: RequestOrigin,
    auditAction: string,
    details: Record<string, unknown>,
  ): Promise<{ jobId: string; items: number }> {
    const rows = await this.repo.insertWrites(candidates.map((c) => ({ libraryId, ...c })));
    const writeIds = rows.map((r) => r.id);
    const jobId = await this.queue.enqueue(
      'immich.push',
      { libraryId, writeIds },
      { libraryId, requestedBy: who.userId },
    );
    await this.repo.attachWrites(writeIds, jobId);
    await this.audit.record(who, origin, auditAction, `job:${jobId}`, {
      libraryId,
      ...details,
      items: rows.length,
    });
    return { jobId, items: rows.length };
  }

  /** The library's latest write jobs, so each can be inspected and undone (the decision ones too). */
  async recentJobs(who: Principal, libraryId: string): Promise<ImmichWriteJob[]> {
    await this.access.require(who, libraryId, 'viewer');
    return this.repo.jobsOf(libraryId, RECENT_JOBS);
  }

  async results(who: Principal, libraryId: string, jobId: string): Promise<ImmichWriteRow[]> {
    await this.access.require(who, libraryId, 'viewer');
    return (await this.repo.writesOfJob(jobId)).filter((w) => w.library_id === libraryId);
  }

  /** The job: idempotent — items already finished are counted, not redone. */
  async applyPush(libraryId: string, writeIds: readonly string[], ctx: JobContext): Promise<void> {
    const lib = await this.libraries.findById(libraryId);
    if (!lib) throw new Error(`Library ${libraryId} was deleted.`);
    const client = this.clientFor(lib);
    const writes = await this.repo.writes(writeIds);
    let done = writes.filter((w) => w.status !== 'pending' && w.status !== 'failed').length;
    let failed = writes.filter((w) => w.status === 'failed').length;
    await ctx.reportProgress({ total: writes.length, done, failed });
    /** Set once Immich is down or refuses the key: the items left fail with it, untried. */
    let outage: string | null = null;
    for (const w of writes) {
      if (w.status !== 'pending') continue;
      if (ctx.signal.aborted) return;
      try {
        if (outage !== null) throw new Error(`Not tried: ${outage}`);
        await this.applyWrite(client, w);
        done++;
      } catch (err) {
        // Every failure is the item's: the job goes on, and "retry" redoes the failed items. A down
        // server or a revoked key would fail every other item the same way (after the retries'
        // backoff each time), so those are not sent.
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof ImmichError && (err.code === 'unreachable' || err.code === 'unauthorized'))
          outage = message;
        await this.repo.finishWrite(w.id, 'failed', { error: message });
        if (outage === null || message === outage)
          ctx.log.warn({ writeId: w.id, kind: w.kind, err: message }, 'immich write failed');
        failed++;
      }
      await ctx.reportProgress({ done, failed });
    }
    this.events.emit('library.changed', { libraryId, reason: 'immich-push' });
  }

  private async applyWrite(client: ImmichClient, w: ImmichWriteRow): Promise<void> {
    const ids = await this.repo.externalIds(w.asset_ids);
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const found = await Promise.all(
      w.asset_ids.map((id) =>
        limit(async () => {
          const ext = ids.get(id);
          return ext ? this.live(client, ext) : null;
        }),
      ),
    );
    const present = found.filter((a): a is AssetResponseDto => a !== null);
    const missing = w.asset_ids.length - present.length;
    const note =
      missing > 0 ? `${missing} asset(s) deleted in Immich since the analysis were left out.` : null;
    const kind: ImmichWriteKind = w.kind;
    if (kind === 'stack') {
      if (present.length < 2) {
        await this.repo.finishWrite(w.id, 'skipped', {
          error: note ?? 'Fewer than two assets left in Immich.',
        });
        return;
      }
      const primary = present[0] as AssetResponseDto;
      const stackIds = new Set(present.map((a) => a.stack?.id ?? null));
      const existing = stackIds.size === 1 ? (present[0]?.stack ?? null) : null;
      if (existing && existing.assetCount === present.length) {
        // Already stacked exactly so in Immich: only the primary may differ.
        if (existing.primaryAssetId !== primary.id) await client.setStackPrimary(existing.id, primary.id);
        await this.repo.finishWrite(w.id, 'applied', {
          immichId: existing.id,
          before: { updatedStack: existing.id, primaryAssetId: existing.primaryAssetId },
          error: note,
        });
        return;
      }
      // Immich merges the assets' earlier stacks into the new one; keep them to rebuild on undo.
      const earlier = new Map<string, { primaryAssetId: string; assetIds: string[] }>();
      for (const a of present)
        if (a.stack && !earlier.has(a.stack.id)) {
          const s = await client.stack(a.stack.id);
          earlier.set(s.id, { primaryAssetId: s.primaryAssetId, assetIds: s.assets.map((x) => x.id) });
        }
      const stack = await client.createStack(present.map((a) => a.id));
      await this.repo.finishWrite(w.id, 'applied', {
        immichId: stack.id,
        before: { stacks: [...earlier.values()] },
        error: note,
      });
    } else if (kind === 'album') {
      if (present.length === 0) {
        await this.repo.finishWrite(w.id, 'skipped', { error: note ?? 'No asset left in Immich.' });
        return;
      }
      const album = await client.createAlbum(
        w.name ?? 'photo-sync album',
        'Suggested by photo-sync',
        present.map((a) => a.id),
      );
      await this.repo.finishWrite(w.id, 'applied', { immichId: album.id, error: note });
    } else {
      if (present.length < 2) {
        await this.repo.finishWrite(w.id, 'skipped', {
          error: note ?? 'Fewer than two assets left in Immich.',
        });
        return;
      }
      const before = Object.fromEntries(present.map((a) => [a.id, a.duplicateId ?? null]));
      // photo-sync's group id: stable, and a UUID as Immich's duplicate ids are.
      await client.updateAssets({ ids: present.map((a) => a.id), duplicateId: w.subject_id });
      await this.repo.finishWrite(w.id, 'applied', {
        immichId: w.subject_id,
        before: { duplicateIds: before },
        error: note,
      });
    }
  }

  /** Failed writes of a push job back to pending under a new job (the applied ones stay). */
  async retryFailed(who: Principal, jobId: string): Promise<string | null> {
    const failed = (await this.repo.writesOfJob(jobId)).filter((w) => w.status === 'failed');
    const first = failed[0];
    if (!first) return null;
    const writeIds = failed.map((w) => w.id);
    await this.repo.requeueWrites(writeIds);
    const newJob = await this.queue.enqueue(
      'immich.push',
      { libraryId: first.library_id, writeIds },
      { libraryId: first.library_id, requestedBy: who.userId },
    );
    await this.repo.attachWrites(writeIds, newJob);
    return newJob;
  }

  /** Undo of a push job: stacks deleted (earlier ones rebuilt), albums deleted, duplicate ids put back. */
  async undoPush(
    who: Principal,
    libraryId: string,
    jobId: string,
    origin: RequestOrigin,
  ): Promise<{ undone: number; failed: { id: string; error: string }[] }> {
    await this.access.require(who, libraryId, 'editor');
    const lib = await this.libraries.findById(libraryId);
    if (!lib) throw new NotFoundError(`Library ${libraryId} not found`);
    const writes = (await this.repo.writesOfJob(jobId)).filter((w) => w.library_id === libraryId);
    if (writes.length === 0) throw new NotFoundError(`No Immich writes of job ${jobId} in this library`);
    if (writes.some((w) => w.status === 'pending'))
      throw new ConflictError('The push is still running; undo it once it has finished.');
    const client = this.clientFor(lib);
    let undone = 0;
    const failed: { id: string; error: string }[] = [];
    for (const w of writes.slice().reverse()) {
      if (w.status !== 'applied' || !w.immich_id) continue;
      try {
        await this.undoWrite(client, w, w.immich_id);
        await this.repo.finishWrite(w.id, 'undone');
        undone++;
      } catch (err) {
        failed.push({ id: w.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    await this.audit.record(who, origin, 'immich.push-undone', `job:${jobId}`, {
      libraryId,
      undone,
      failed: failed.length,
    });
    this.events.emit('library.changed', { libraryId, reason: 'immich-push' });
    return { undone, failed };
  }

  private async undoWrite(client: ImmichClient, w: ImmichWriteRow, immichId: string): Promise<void> {
    const before = w.before as {
      updatedStack?: string;
      primaryAssetId?: string;
      stacks?: { primaryAssetId: string; assetIds: string[] }[];
      duplicateIds?: Record<string, string | null>;
    };
    const ignoreGone = (err: unknown) => {
      if (!isGone(err)) throw err;
    };
    if (w.kind === 'stack') {
      if (before.updatedStack && before.primaryAssetId) {
        await client.setStackPrimary(before.updatedStack, before.primaryAssetId).catch(ignoreGone);
        return;
      }
      await client.deleteStack(immichId).catch(ignoreGone);
      for (const s of before.stacks ?? []) {
        const ordered = [s.primaryAssetId, ...s.assetIds.filter((id) => id !== s.primaryAssetId)];
        if (ordered.length >= 2) await client.createStack(ordered).catch(ignoreGone);
      }
    } else if (w.kind === 'album') {
      await client.deleteAlbum(immichId).catch(ignoreGone);
    } else {
      const byValue = new Map<string | null, string[]>();
      for (const [assetId, value] of Object.entries(before.duplicateIds ?? {}))
        byValue.set(value, [...(byValue.get(value) ?? []), assetId]);
      for (const [value, ids] of byValue) await client.updateAssets({ ids, duplicateId: value });
    }
  }
}
