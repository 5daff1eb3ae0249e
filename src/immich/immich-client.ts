import {
  addAssetsToAlbum,
  AssetMediaSize,
  createAlbum,
  createStack,
  deleteAlbum,
  deleteAssets,
  deleteStack,
  getAllAlbums,
  getAssetInfo,
  getMyApiKey,
  getServerVersion,
  getStack,
  removeAssetFromAlbum,
  restoreAssets,
  searchAssets,
  updateAsset,
  updateAssets,
  updateStack,
  viewAsset,
  type AlbumResponseDto,
  type ApiKeyResponseDto,
  type AssetBulkUpdateDto,
  type AssetResponseDto,
  type BulkIdResponseDto,
  type MetadataSearchDto,
  type SearchAssetResponseDto,
  type ServerVersionResponseDto,
  type StackResponseDto,
  type UpdateAssetDto,
} from '@immich/sdk';
import pLimit, { type LimitFunction } from 'p-limit';

/** Shape of the errors the SDK's runtime throws for a non-2xx answer. */
interface HttpFailure {
  status: number;
  data?: unknown;
}

function httpFailureOf(err: unknown): HttpFailure | null {
  if (typeof err !== 'object' || err === null || !('status' in err)) return null;
  const status = err.status;
  return typeof status === 'number' ? (err as HttpFailure) : null;
}

/** Base of the connector's errors; the message is for people and never contains the API key. */
export class ImmichError extends Error {
  constructor(
    message: string,
    readonly code: 'unreachable' | 'unauthorized' | 'forbidden' | 'not-found' | 'server' | 'bad-request',
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ImmichError';
  }
}

export interface ImmichClientOptions {
  /** Requests in flight at once against this server. */
  concurrency?: number;
  /** Retries of a request that failed with a network error, 429 or 5xx. */
  retries?: number;
  /** First retry delay; doubles each time (with jitter). */
  backoffMs?: number;
  fetch?: typeof fetch;
}

/** The key permission each call needs (docs/IMMICH.md), named when Immich answers 403. */
const PERMISSION_OF: Record<string, string> = {
  'asset search': 'asset.read',
  asset: 'asset.read',
  thumbnail: 'asset.view',
  'asset update': 'asset.update',
  delete: 'asset.delete',
  restore: 'asset.delete',
  'stack create': 'stack.create',
  stack: 'stack.read',
  'stack update': 'stack.update',
  'stack delete': 'stack.delete',
  albums: 'album.read',
  'album create': 'album.create',
  'album add': 'albumAsset.create',
  'album remove': 'albumAsset.delete',
  'album delete': 'album.delete',
};

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * One Immich server seen through the official SDK, with the key sent per request (the SDK's
 * module-wide defaults are never set, so several libraries can talk to several servers at once).
 * Every call goes through a bounded pool and retries transient failures with exponential backoff.
 */
export class ImmichClient {
  private readonly limit: LimitFunction;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly opts: { baseUrl: string; headers: Record<string, string>; fetch?: typeof fetch };
  /** Requests sent (including retries), for benchmarks and logs. */
  requests = 0;

  constructor(
    readonly url: string,
    apiKey: string,
    options: ImmichClientOptions = {},
  ) {
    this.limit = pLimit(options.concurrency ?? 4);
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 250;
    this.opts = {
      baseUrl: `${url.replace(/\/+$/, '')}/api`,
      headers: { 'x-api-key': apiKey },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
  }

  private call<T>(what: string, run: (opts: typeof this.opts) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      for (let attempt = 0; ; attempt++) {
        this.requests++;
        try {
          return await run(this.opts);
        } catch (err) {
          const failure = httpFailureOf(err);
          const transient = failure === null ? isNetworkError(err) : RETRYABLE.has(failure.status);
          if (transient && attempt < this.retries) {
            const delay = this.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
            await new Promise((r) => setTimeout(r, delay));
            continue;
          }
          throw this.explain(what, err, failure);
        }
      }
    });
  }

  private explain(what: string, err: unknown, failure: HttpFailure | null): ImmichError {
    if (failure === null) {
      const reason = err instanceof Error ? err.message : String(err);
      return new ImmichError(
        `Immich at ${this.url} cannot be reached (${what}): ${reason}. Check the URL and that the server is up.`,
        'unreachable',
      );
    }
    const detail = messageOf(failure.data);
    switch (failure.status) {
      case 401:
        return new ImmichError(
          `Immich at ${this.url} refused the API key (${what}): it was revoked or is wrong. Create a new key in Immich → Account settings → API keys.`,
          'unauthorized',
          401,
        );
      case 403: {
        const permission = PERMISSION_OF[what];
        return new ImmichError(
          permission
            ? `The Immich API key lacks the ${permission} permission (needed for ${what}): add it to the key in Immich → Account settings → API keys.`
            : `The Immich API key lacks a permission for ${what}${detail ? `: ${detail}` : ''}.`,
          'forbidden',
          403,
        );
      }
      case 404:
        return new ImmichError(`Immich has no such item (${what}).`, 'not-found', 404);
      case 400:
        return new ImmichError(`Immich rejected ${what}${detail ? `: ${detail}` : ''}.`, 'bad-request', 400);
      default:
        return new ImmichError(
          `Immich at ${this.url} failed (${what}, HTTP ${failure.status})${detail ? `: ${detail}` : ''}.`,
          'server',
          failure.status,
        );
    }
  }

  serverVersion(): Promise<ServerVersionResponseDto> {
    return this.call('server version', (o) => getServerVersion(o));
  }

  myApiKey(): Promise<ApiKeyResponseDto> {
    return this.call('API key', (o) => getMyApiKey(o));
  }

  searchPage(dto: MetadataSearchDto): Promise<SearchAssetResponseDto> {
    return this.call('asset search', async (o) => (await searchAssets({ metadataSearchDto: dto }, o)).assets);
  }

  async rendition(id: string, size: 'thumbnail' | 'preview'): Promise<Buffer> {
    const blob = await this.call('thumbnail', (o) =>
      viewAsset({ id, size: size === 'preview' ? AssetMediaSize.Preview : AssetMediaSize.Thumbnail }, o),
    );
    return Buffer.from(await blob.arrayBuffer());
  }

  asset(id: string): Promise<AssetResponseDto> {
    return this.call('asset', (o) => getAssetInfo({ id }, o));
  }

  updateAsset(id: string, dto: UpdateAssetDto): Promise<AssetResponseDto> {
    return this.call('asset update', (o) => updateAsset({ id, updateAssetDto: dto }, o));
  }

  updateAssets(dto: AssetBulkUpdateDto): Promise<void> {
    return this.call('asset update', (o) => updateAssets({ assetBulkUpdateDto: dto }, o));
  }

  /** Moves to Immich's trash (never `force`): Immich keeps them until its own trash empties. */
  trash(ids: string[]): Promise<void> {
    return this.call('delete', (o) => deleteAssets({ assetBulkDeleteDto: { ids, force: false } }, o));
  }

  restore(ids: string[]): Promise<void> {
    return this.call('restore', async (o) => {
      await restoreAssets({ bulkIdsDto: { ids } }, o);
    });
  }

  createStack(assetIds: string[]): Promise<StackResponseDto> {
    return this.call('stack create', (o) => createStack({ stackCreateDto: { assetIds } }, o));
  }

  stack(id: string): Promise<StackResponseDto> {
    return this.call('stack', (o) => getStack({ id }, o));
  }

  setStackPrimary(id: string, primaryAssetId: string): Promise<StackResponseDto> {
    return this.call('stack update', (o) => updateStack({ id, stackUpdateDto: { primaryAssetId } }, o));
  }

  deleteStack(id: string): Promise<void> {
    return this.call('stack delete', (o) => deleteStack({ id }, o));
  }

  albumsOf(assetId: string): Promise<AlbumResponseDto[]> {
    return this.call('albums', (o) => getAllAlbums({ assetId }, o));
  }

  createAlbum(albumName: string, description: string | null, assetIds: string[]): Promise<AlbumResponseDto> {
    return this.call('album create', (o) =>
      createAlbum({ createAlbumDto: { albumName, description, assetIds } }, o),
    );
  }

  addToAlbum(albumId: string, ids: string[]): Promise<BulkIdResponseDto[]> {
    return this.call('album add', (o) => addAssetsToAlbum({ id: albumId, bulkIdsDto: { ids } }, o));
  }

  removeFromAlbum(albumId: string, ids: string[]): Promise<BulkIdResponseDto[]> {
    return this.call('album remove', (o) => removeAssetFromAlbum({ id: albumId, bulkIdsDto: { ids } }, o));
  }

  deleteAlbum(id: string): Promise<void> {
    return this.call('album delete', (o) => deleteAlbum({ id }, o));
  }
}

function isNetworkError(err: unknown): boolean {
  // fetch rejects with a TypeError ("fetch failed") whose cause is the socket error.
  return (
    err instanceof TypeError ||
    (err instanceof Error && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket/i.test(err.message))
  );
}

function messageOf(data: unknown): string | null {
  if (typeof data === 'object' && data !== null && 'message' in data) {
    const m = data.message;
    if (typeof m === 'string') return m;
    if (Array.isArray(m)) return m.filter((x) => typeof x === 'string').join('; ');
  }
  return null;
}
