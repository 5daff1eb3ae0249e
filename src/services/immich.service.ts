import { isDiskFull } from '../fs/disk-full.js';
import { AssetTypeEnum, AssetVisibility, type AssetResponseDto } from '@immich/sdk';
import pLimit from 'p-limit';
import type { AssetRepository, AssetUpdate } from '../db/repositories/asset.repository.js';
import type { ImmichRepository } from '../db/repositories/immich.repository.js';
import type { LibraryRepository, LibraryRow } from '../db/repositories/library.repository.js';
import { AppError, InvalidInputError, NotFoundError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import type { ThumbnailStore } from '../fs/thumbnail-store.js';
import { contentHashOf, kindOfImmichAsset, metadataOfImmichAsset } from '../immich/immich-asset.js';
import { ImmichClient, ImmichError, type ImmichClientOptions } from '../immich/immich-client.js';
import { checkImmichConnection, type ImmichConnectionCheck } from '../immich/immich-connection.js';
import type { SecretBox } from '../immich/secret-box.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { MediaAnalysis } from '../media/media-analysis.js';
import type { RenditionSource } from '../media/analyze-rendition.js';
import { assetRecordFrom } from './asset-record.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

/** Immich could not be used: 502 for the API (the upstream failed), with Immich's reason. */
export class ImmichUpstreamError extends AppError {
  readonly status = 502;
  readonly type = 'immich-unavailable';
}

export type AnalyzeRenditionFn = (bytes: Uint8Array, source: RenditionSource) => Promise<MediaAnalysis>;

export interface ImmichSyncOptions {
  /** Assets per search page (Immich allows at most 1000). */
  pageSize: number;
  /** Renditions fetched and analysed at once. */
  concurrency: number;
  client?: ImmichClientOptions;
}

/** Rows written per database round (like the folder ingest's commit groups). */
const COMMIT_GROUP = 25;
const PROGRESS_EVERY_MS = 500;
/**
 * Images are analysed on their preview; videos on the preview still Immich renders from a frame,
 * as a folder scan analyses a video's poster frame.
 */
const ANALYSED_TYPES: ReadonlySet<string> = new Set([AssetTypeEnum.Image, AssetTypeEnum.Video]);

export interface SyncSummary {
  listed: number;
  analysed: number;
  failed: number;
  missing: number;
  /** Audio and other assets that are neither an image nor a video. */
  skippedOther: number;
  /** Known assets whose original is unchanged: metadata updated, no rendition read. */
  metadataOnly: number;
}

function toUpstream(err: unknown): unknown {
  if (!(err instanceof ImmichError)) return err;
  if (err.code === 'bad-request') return new InvalidInputError(err.message, { immich: err.code });
  return new ImmichUpstreamError(err.message, { immich: err.code });
}

/**
 * Immich libraries: connect (URL + key checked and sealed), read (page the assets, analyse their
 * preview renditions into the same asset rows a folder scan fills) and serve their renditions.
 */
export class ImmichService {
  constructor(
    private readonly repo: ImmichRepository,
    private readonly libraries: LibraryRepository,
    private readonly assets: AssetRepository,
    private readonly thumbnails: ThumbnailStore,
    private readonly box: SecretBox,
    private readonly access: LibraryAccess,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
    private readonly analyze: AnalyzeRenditionFn,
    private readonly options: ImmichSyncOptions,
  ) {}

  static normaliseUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw new InvalidInputError(
        `"${raw}" is not a URL. Enter the address of Immich, e.g. http://immich.local:2283`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new InvalidInputError('The Immich URL must start with http:// or https://');
    if (url.username || url.password)
      throw new InvalidInputError(
        'Put no user name or password in the Immich URL; the API key authenticates.',
      );
    // Users paste the web address or the API base; both mean the server.
    const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
    return `${url.origin}${path}`;
  }

  private client(url: string, apiKey: string): ImmichClient {
    return new ImmichClient(url, apiKey, this.options.client);
  }

  /** The client of a stored Immich library (its key unsealed in memory only). */
  clientFor(lib: LibraryRow): ImmichClient {
    if (lib.kind !== 'immich' || !lib.immich_url || !lib.immich_key_sealed)
      throw new InvalidInputError(`Library ${lib.name} is not an Immich library.`);
    return this.client(lib.immich_url, this.box.open(lib.immich_key_sealed));
  }

  async connect(
    who: Principal,
    input: { name?: string; url: string; apiKey: string },
    origin: RequestOrigin,
  ): Promise<{ library: LibraryRow; check: ImmichConnectionCheck; scanJobId: string }> {
    const url = ImmichService.normaliseUrl(input.url);
    const apiKey = input.apiKey.trim();
    if (apiKey.length === 0) throw new InvalidInputError('Enter the Immich API key.');
    const check = await checkImmichConnection(this.client(url, apiKey)).catch((err: unknown) => {
      throw toUpstream(err);
    });
    const library = await this.repo.createLibrary({
      name: input.name?.trim() || `Immich (${new URL(url).host})`,
      url,
      keySealed: this.box.seal(apiKey),
      version: check.version,
      ownerId: who.userId,
    });
    this.events.emit('access.changed', { libraryId: library.id });
    await this.audit.record(who, origin, 'library.immich-connected', `library:${library.id}`, {
      url,
      version: check.version,
      missingPermissions: check.missingPermissions.map((p) => p.permission),
    });
    const scanJobId = await this.queue.enqueue(
      'library.scan',
      { libraryId: library.id },
      { libraryId: library.id, requestedBy: who.userId },
    );
    return { library, check, scanJobId };
  }

  /** Checks the stored key again (or a new one, which then replaces it). */
  async recheck(
    who: Principal,
    id: string,
    newKey: string | null,
    origin: RequestOrigin,
  ): Promise<ImmichConnectionCheck> {
    await this.access.require(who, id, newKey === null ? 'viewer' : 'owner');
    const lib = await this.immichLibrary(id);
    const client = newKey === null ? this.clientFor(lib) : this.client(lib.immich_url ?? '', newKey.trim());
    const check = await checkImmichConnection(client).catch((err: unknown) => {
      throw toUpstream(err);
    });
    await this.repo.updateConnection(id, {
      version: check.version,
      ...(newKey === null ? {} : { keySealed: this.box.seal(newKey.trim()) }),
    });
    if (newKey !== null)
      await this.audit.record(who, origin, 'library.immich-key-changed', `library:${id}`, {});
    return check;
  }

  async isImmich(libraryId: string): Promise<boolean> {
    return (await this.libraries.findById(libraryId))?.kind === 'immich';
  }

  private async immichLibrary(id: string): Promise<LibraryRow> {
    const lib = await this.libraries.findById(id);
    if (!lib) throw new NotFoundError(`Library ${id} not found`);
    if (lib.kind !== 'immich') throw new InvalidInputError(`Library ${lib.name} is not an Immich library.`);
    return lib;
  }

  /** A rendition of an Immich asset, proxied (the key never leaves the server). */
  async rendition(assetId: string, size: 'thumbnail' | 'preview'): Promise<Buffer | null> {
    const asset = await this.assets.findById(assetId);
    if (!asset?.external_id) return null;
    const lib = await this.libraries.findById(asset.library_id);
    if (!lib || lib.kind !== 'immich') return null;
    return this.clientFor(lib)
      .rendition(asset.external_id, size)
      .catch((err: unknown) => {
        if (err instanceof ImmichError && err.code === 'not-found') return null;
        throw toUpstream(err);
      });
  }

  /**
   * The `library.scan` of an Immich library: lists the assets (only those updated since the last
   * sync, once there was one), analyses the preview of each new or changed image, marks the ones
   * Immich trashed or deleted as missing. An unreachable server or a revoked key fails the job
   * with Immich's reason; one asset that cannot be read is recorded on that asset.
   */
  async sync(libraryId: string, ctx: JobContext): Promise<SyncSummary> {
    const lib = await this.immichLibrary(libraryId);
    const client = this.clientFor(lib);
    const check = await checkImmichConnection(client);
    if (check.version !== lib.immich_version)
      await this.repo.updateConnection(lib.id, { version: check.version });
    const since = lib.immich_synced_until;
    const stopped = (): boolean => ctx.signal.aborted;
    const startedAt = new Date();
    const known = await this.repo.known(libraryId);
    const seen = new Set<string>();
    const gone: string[] = [];
    let newest = since?.getTime() ?? 0;
    const summary: SyncSummary = {
      listed: 0,
      analysed: 0,
      failed: 0,
      missing: 0,
      skippedOther: 0,
      metadataOnly: 0,
    };
    const toAnalyse = new Map<string, AssetResponseDto>();
    const metadataOnly: { id: string; asset: AssetResponseDto }[] = [];

    const listPass = async (after: Date | null): Promise<void> => {
      for (let page: number | null = 1; page !== null;) {
        if (ctx.signal.aborted) return;
        const res = await client.searchPage({
          page,
          size: this.options.pageSize,
          withExif: true,
          withStacked: true,
          ...(after ? { updatedAfter: after.toISOString(), withDeleted: true } : {}),
        });
        const fresh = [];
        for (const a of res.items) {
          summary.listed++;
          newest = Math.max(newest, Date.parse(a.updatedAt) || 0);
          const previous = known.get(a.id);
          if (previous) seen.add(previous.id);
          if (toAnalyse.has(a.id)) continue;
          if (a.isTrashed || a.visibility === AssetVisibility.Hidden) {
            if (previous && previous.status !== 'trashed') gone.push(previous.id);
            continue;
          }
          if (!ANALYSED_TYPES.has(a.type)) {
            // Audio and other files: nothing to compare as a picture.
            summary.skippedOther++;
            continue;
          }
          const mtimeMs = Date.parse(a.updatedAt);
          if (previous && previous.mtimeMs === mtimeMs && previous.status === 'ready') continue;
          if (previous && previous.inode === a.checksum && previous.status === 'ready') {
            // Same original, other metadata (a stack, a favourite, a rating): no new picture to read.
            metadataOnly.push({ id: previous.id, asset: a });
            continue;
          }
          fresh.push({
            externalId: a.id,
            path: a.originalPath,
            sizeBytes: a.exifInfo?.fileSizeInByte ?? 0,
            mtimeMs,
            inode: a.checksum,
          });
          toAnalyse.set(a.id, a);
        }
        await this.repo.upsertPending(libraryId, fresh);
        page = res.nextPage ? Number(res.nextPage) : null;
      }
    };
    await listPass(since);
    // Immich's search names no asset deleted for good: when its count of images differs from ours
    // after reading the changes, something was deleted since — list everything once to find it.
    let full = since === null;
    if (!full && !ctx.signal.aborted) {
      const [images, videos, ours] = await Promise.all([
        client.searchPage({ page: 1, size: 1, type: AssetTypeEnum.Image, withStacked: true }),
        client.searchPage({ page: 1, size: 1, type: AssetTypeEnum.Video, withStacked: true }),
        this.repo.liveCount(libraryId),
      ]);
      if (images.total + videos.total !== ours) {
        full = true;
        await listPass(null);
      }
    }
    if (ctx.signal.aborted) return summary;
    // A full listing names every asset Immich has: the ones it did not are gone from Immich.
    if (full) for (const k of known.values()) if (!seen.has(k.id)) gone.push(k.id);
    summary.missing = await this.repo.markMissing(gone);
    for (const { id, asset } of metadataOnly) {
      const m = metadataOfImmichAsset(asset);
      await this.assets.update(id, {
        mtime_ms: Date.parse(asset.updatedAt),
        favourite: asset.isFavorite,
        rating: m.rating,
        description: m.description,
        gps_latitude: m.gpsLatitude,
        gps_longitude: m.gpsLongitude,
        captured_at: m.capturedAt,
        capture_local: m.captureLocal,
        capture_offset_minutes: m.captureOffsetMinutes,
        ...(m.capturedAt ? { sort_at: m.capturedAt } : {}),
      });
    }
    summary.metadataOnly = metadataOnly.length;

    const rows = await this.repo.known(libraryId);
    const work = [...toAnalyse.values()].flatMap((a) => {
      const row = rows.get(a.id);
      return row ? [{ id: row.id, asset: a }] : [];
    });
    await ctx.reportProgress({ total: work.length, done: 0, failed: 0 });
    let lastProgress = 0;
    let pending: { id: string; values: AssetUpdate }[] = [];
    const flush = async () => {
      const group = pending;
      pending = [];
      await this.assets.updateMany(group);
    };
    const limit = pLimit(this.options.concurrency);
    let fatal = null as ImmichError | null;
    // A full disk ends the sync without marking anything failed: the job pauses until space returns.
    let noRoom = null as Error | null;
    await Promise.all(
      work.map(({ id, asset }) =>
        limit(async () => {
          if (ctx.signal.aborted || fatal !== null || noRoom !== null) return;
          try {
            const preview = await client.rendition(asset.id, 'preview');
            const analysis = await this.analyze(preview, {
              kind: kindOfImmichAsset(asset),
              mime: asset.originalMimeType ?? null,
              contentHash: contentHashOf(asset.checksum),
              bytes: asset.exifInfo?.fileSizeInByte ?? 0,
              metadata: metadataOfImmichAsset(asset),
            });
            if (analysis.thumbnail) await this.thumbnails.write(id, analysis.thumbnail);
            const record = assetRecordFrom(
              analysis,
              Date.parse(asset.fileModifiedAt),
              analysis.thumbnail !== null,
            );
            pending.push({
              id,
              values: { ...record, favourite: asset.isFavorite, attempts: 1 },
            });
            summary.analysed++;
            if (pending.length >= COMMIT_GROUP) await flush();
          } catch (err) {
            if (err instanceof ImmichError && err.code === 'not-found') {
              // Deleted in Immich since it was listed.
              summary.missing += await this.repo.markMissing([id]);
            } else if (
              err instanceof ImmichError &&
              (err.code === 'unauthorized' || err.code === 'unreachable')
            ) {
              fatal ??= err;
            } else if (isDiskFull(err)) {
              noRoom ??= err;
            } else {
              summary.failed++;
              const reason = err instanceof Error ? err.message : String(err);
              await this.assets.update(id, {
                status: 'failed',
                problem_code: 'unreadable',
                problem_message: `Cannot analyse ${asset.originalFileName} from Immich: ${reason}. It will be tried again on the next sync.`,
              });
              ctx.log.warn({ assetId: id, immichId: asset.id, err: reason }, 'immich asset not analysed');
            }
          }
          const now = Date.now();
          if (now - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now;
            await ctx.reportProgress({ done: summary.analysed + summary.failed, failed: summary.failed });
          }
        }),
      ),
    );
    await flush();
    if (fatal !== null) throw fatal;
    if (noRoom !== null) throw noRoom;
    await ctx.reportProgress({ done: summary.analysed + summary.failed, failed: summary.failed });
    // Only a sync that read everything moves the mark: an interrupted one is redone from the same point.
    if (!stopped()) await this.repo.markSynced(libraryId, newest > 0 ? new Date(newest) : since, startedAt);
    ctx.log.info({ libraryId, ...summary, full }, 'immich sync finished');
    this.events.emit('library.changed', { libraryId, reason: 'scan' });
    return summary;
  }
}
