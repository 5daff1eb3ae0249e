import { createHash, randomUUID } from 'node:crypto';
import {
  AlbumUserRole,
  AssetTypeEnum,
  AssetVisibility,
  Permission,
  UserAvatarColor,
  type AlbumResponseDto,
  type ApiKeyResponseDto,
  type AssetBulkDeleteDto,
  type AssetBulkUpdateDto,
  type AssetResponseDto,
  type BulkIdResponseDto,
  type BulkIdsDto,
  type CreateAlbumDto,
  type ExifResponseDto,
  type MetadataSearchDto,
  type SearchResponseDto,
  type ServerVersionResponseDto,
  type StackCreateDto,
  type StackResponseDto,
  type StackUpdateDto,
  type TrashResponseDto,
  type UpdateAssetDto,
  type UserResponseDto,
} from '@immich/sdk';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import sharp from 'sharp';
import { detectKind } from '../../src/domain/detect-kind.js';
import { metadataFromTags } from '../../src/media/metadata-from-tags.js';
import { readTags } from '../../src/media/read-tags.js';

/**
 * A fake Immich server for tests and benchmarks. Every route's request and reply types are the
 * `@immich/sdk` DTOs, so a change of the SDK's types fails to compile here (the contract). State is
 * in memory and public, so a test asserts every write against it.
 */
export interface FakeAsset {
  dto: AssetResponseDto;
  thumbnail: Buffer;
  preview: Buffer;
  original: Buffer;
  deletedAt: Date | null;
}

export interface FakeStack {
  id: string;
  primaryAssetId: string;
  assetIds: string[];
}

export interface FakeAlbum {
  id: string;
  albumName: string;
  description: string;
  assetIds: Set<string>;
  createdAt: string;
}

export interface FakeImmichOptions {
  apiKey?: string;
  version?: ServerVersionResponseDto;
  permissions?: Permission[];
}

/** The permission each route of the fake needs, as Immich's controllers declare them. */
const ROUTE_PERMISSIONS: Record<string, Permission> = {
  'POST /api/search/metadata': Permission.AssetRead,
  'GET /api/assets/:id': Permission.AssetRead,
  'PUT /api/assets/:id': Permission.AssetUpdate,
  'PUT /api/assets': Permission.AssetUpdate,
  'DELETE /api/assets': Permission.AssetDelete,
  'POST /api/trash/restore/assets': Permission.AssetDelete,
  'GET /api/assets/:id/thumbnail': Permission.AssetView,
  'GET /api/assets/:id/original': Permission.AssetDownload,
  'POST /api/stacks': Permission.StackCreate,
  'GET /api/stacks/:id': Permission.StackRead,
  'PUT /api/stacks/:id': Permission.StackUpdate,
  'DELETE /api/stacks/:id': Permission.StackDelete,
  'GET /api/albums': Permission.AlbumRead,
  'POST /api/albums': Permission.AlbumCreate,
  'PUT /api/albums/:id/assets': Permission.AlbumAssetCreate,
  'DELETE /api/albums/:id/assets': Permission.AlbumAssetDelete,
  'DELETE /api/albums/:id': Permission.AlbumDelete,
};

const OWNER: UserResponseDto = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'owner@immich.test',
  name: 'Owner',
  avatarColor: UserAvatarColor.Primary,
  profileChangedAt: '2024-01-01T00:00:00.000Z',
  profileImagePath: '',
};

export class FakeImmich {
  readonly assets = new Map<string, FakeAsset>();
  readonly stacks = new Map<string, FakeStack>();
  readonly albums = new Map<string, FakeAlbum>();
  apiKey: string;
  version: ServerVersionResponseDto;
  permissions: Permission[];
  /** Requests answered, by "METHOD /path". */
  readonly hits = new Map<string, number>();
  /**
   * The next n requests (of one route, or any) answer this status (503: a failing server), or with
   * status 0 drop the connection unanswered (a server that went down).
   */
  private failures: { remaining: number; status: number; route: string | null; skip: number } = {
    remaining: 0,
    status: 503,
    route: null,
    skip: 0,
  };
  private clock = Date.parse('2025-01-01T00:00:00.000Z');
  private server: FastifyInstance | null = null;
  url = '';

  constructor(opts: FakeImmichOptions = {}) {
    this.apiKey = opts.apiKey ?? 'fake-immich-key-0123456789';
    this.version = opts.version ?? { major: 3, minor: 2, patch: 2, prerelease: null };
    this.permissions = opts.permissions ?? [Permission.All];
  }

  /** `skip` matching requests are answered normally first (an outage in the middle of a job). */
  failNext(count: number, status = 503, route: string | null = null, skip = 0): void {
    this.failures = { remaining: count, status, route, skip };
  }

  /** A strictly increasing timestamp, so `updatedAfter` sees every change. */
  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** Adds a photo as Immich would after upload: checksum, EXIF, thumbnail and preview renditions. */
  async addPhoto(
    original: Buffer,
    originalPath: string,
    /** An upright picture to make the renditions from, for formats sharp cannot read (HEIC, RAW). */
    renderSource?: Buffer,
  ): Promise<AssetResponseDto> {
    const fileName = originalPath.split('/').pop() ?? originalPath;
    const detected = detectKind(original.subarray(0, 65536), fileName);
    const meta = metadataFromTags(await readTags(original, detected).catch(() => ({})), new Date());
    const { preview, thumbnail, size } = await renditionsOf(renderSource ?? original);
    const exif: ExifResponseDto = {
      make: meta.make,
      model: meta.model,
      lensModel: meta.lens,
      dateTimeOriginal: meta.capturedAt?.toISOString() ?? null,
      timeZone:
        meta.captureOffsetMinutes === null
          ? null
          : `UTC${meta.captureOffsetMinutes >= 0 ? '+' : '-'}${Math.abs(meta.captureOffsetMinutes / 60)}`,
      exposureTime: meta.exposureTime === null ? null : exposureText(meta.exposureTime),
      fNumber: meta.fNumber,
      iso: meta.iso,
      focalLength: meta.focalLength,
      latitude: meta.gpsLatitude,
      longitude: meta.gpsLongitude,
      orientation: meta.orientation === null ? null : String(meta.orientation),
      rating: meta.rating,
      description: meta.description ?? '',
      exifImageWidth: meta.width ?? size.width,
      exifImageHeight: meta.height ?? size.height,
      fileSizeInByte: original.length,
    };
    const at = this.tick();
    const taken = meta.capturedAt?.toISOString() ?? at;
    const dto: AssetResponseDto = {
      id: randomUUID(),
      checksum: createHash('sha1').update(original).digest('base64'),
      createdAt: at,
      updatedAt: at,
      fileCreatedAt: taken,
      fileModifiedAt: taken,
      localDateTime: meta.captureLocal ? `${meta.captureLocal}Z` : taken,
      duration: null,
      hasMetadata: true,
      width: meta.width ?? size.width,
      height: meta.height ?? size.height,
      isArchived: false,
      isEdited: false,
      isFavorite: false,
      isOffline: false,
      isTrashed: false,
      originalFileName: fileName,
      originalMimeType: detected.mime ?? 'application/octet-stream',
      originalPath,
      ownerId: OWNER.id,
      thumbhash: null,
      type: detected.kind === 'video' ? AssetTypeEnum.Video : AssetTypeEnum.Image,
      visibility: AssetVisibility.Timeline,
      exifInfo: exif,
      stack: null,
    };
    this.assets.set(dto.id, { dto, thumbnail, preview, original, deletedAt: null });
    return dto;
  }

  /**
   * Adds a video as Immich would: type VIDEO, its duration, and thumbnail and preview stills made
   * from a frame of it (`poster`), which is all Immich serves of a video besides the original.
   */
  async addVideo(
    original: Buffer,
    originalPath: string,
    poster: Buffer,
    opts: { capturedAt: string; durationMs: number; make?: string; model?: string },
  ): Promise<AssetResponseDto> {
    const { preview, thumbnail, size } = await renditionsOf(poster);
    const at = this.tick();
    const dto: AssetResponseDto = {
      id: randomUUID(),
      checksum: createHash('sha1').update(original).digest('base64'),
      createdAt: at,
      updatedAt: at,
      fileCreatedAt: opts.capturedAt,
      fileModifiedAt: opts.capturedAt,
      localDateTime: opts.capturedAt,
      duration: opts.durationMs,
      hasMetadata: true,
      width: size.width,
      height: size.height,
      isArchived: false,
      isEdited: false,
      isFavorite: false,
      isOffline: false,
      isTrashed: false,
      originalFileName: originalPath.split('/').pop() ?? originalPath,
      originalMimeType: 'video/mp4',
      originalPath,
      ownerId: OWNER.id,
      thumbhash: null,
      type: AssetTypeEnum.Video,
      visibility: AssetVisibility.Timeline,
      exifInfo: {
        make: opts.make ?? null,
        model: opts.model ?? null,
        dateTimeOriginal: opts.capturedAt,
        fileSizeInByte: original.length,
        exifImageWidth: size.width,
        exifImageHeight: size.height,
      },
      stack: null,
    };
    this.assets.set(dto.id, { dto, thumbnail, preview, original, deletedAt: null });
    return dto;
  }

  /** Synthetic assets without renditions work (a 1×1 JPEG), for the listing benchmark. */
  addSynthetic(count: number, tiny: Buffer): void {
    for (let i = 0; i < count; i++) {
      const at = this.tick();
      const id = randomUUID();
      const dto: AssetResponseDto = {
        id,
        checksum: createHash('sha1').update(id).digest('base64'),
        createdAt: at,
        updatedAt: at,
        fileCreatedAt: at,
        fileModifiedAt: at,
        localDateTime: at,
        duration: null,
        hasMetadata: true,
        width: 4000,
        height: 3000,
        isArchived: false,
        isEdited: false,
        isFavorite: false,
        isOffline: false,
        isTrashed: false,
        originalFileName: `IMG_${i}.jpg`,
        originalMimeType: 'image/jpeg',
        originalPath: `/photos/synthetic/${Math.floor(i / 1000)}/IMG_${i}.jpg`,
        ownerId: OWNER.id,
        thumbhash: null,
        type: AssetTypeEnum.Image,
        visibility: AssetVisibility.Timeline,
        exifInfo: {
          make: 'Canon',
          model: 'EOS R6',
          dateTimeOriginal: at,
          fileSizeInByte: 4_000_000 + i,
          exifImageWidth: 4000,
          exifImageHeight: 3000,
        },
        stack: null,
      };
      this.assets.set(id, { dto, thumbnail: tiny, preview: tiny, original: tiny, deletedAt: null });
    }
  }

  /** Deletes an asset for good, as if someone emptied Immich's trash meanwhile. */
  purge(id: string): void {
    this.assets.delete(id);
    for (const album of this.albums.values()) album.assetIds.delete(id);
  }

  live(): FakeAsset[] {
    return [...this.assets.values()].filter((a) => a.deletedAt === null);
  }

  private touch(a: FakeAsset): void {
    a.dto.updatedAt = this.tick();
  }

  private withStack(a: FakeAsset): AssetResponseDto {
    const stack = [...this.stacks.values()].find((s) => s.assetIds.includes(a.dto.id));
    return {
      ...a.dto,
      isTrashed: a.deletedAt !== null,
      stack: stack
        ? { id: stack.id, primaryAssetId: stack.primaryAssetId, assetCount: stack.assetIds.length }
        : null,
    };
  }

  private stackDto(s: FakeStack): StackResponseDto {
    return {
      id: s.id,
      primaryAssetId: s.primaryAssetId,
      assets: s.assetIds.flatMap((id) => {
        const a = this.assets.get(id);
        return a ? [this.withStack(a)] : [];
      }),
    };
  }

  private albumDto(a: FakeAlbum): AlbumResponseDto {
    return {
      id: a.id,
      albumName: a.albumName,
      description: a.description,
      albumThumbnailAssetId: [...a.assetIds][0] ?? null,
      albumUsers: [{ role: AlbumUserRole.Owner, user: OWNER }],
      assetCount: a.assetIds.size,
      createdAt: a.createdAt,
      updatedAt: a.createdAt,
      hasSharedLink: false,
      isActivityEnabled: false,
      shared: false,
    };
  }

  async start(): Promise<string> {
    const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
    const notFound = (reply: FastifyReply) =>
      reply.status(404).send({ message: 'Not found or no asset.read access', statusCode: 404 });

    app.addHook('onRequest', async (req, reply) => {
      const key = `${req.method} ${req.routeOptions.url ?? req.url}`;
      this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
      const matches = this.failures.route === null || this.failures.route === key;
      if (matches && this.failures.remaining > 0 && this.failures.skip > 0) this.failures.skip--;
      else if (matches && this.failures.remaining > 0) {
        this.failures.remaining--;
        if (this.failures.status === 0) {
          req.raw.socket.destroy();
          return reply;
        }
        return reply
          .status(this.failures.status)
          .send({ message: 'Service unavailable', statusCode: this.failures.status });
      }
      if (req.headers['x-api-key'] !== this.apiKey)
        return reply.status(401).send({ message: 'Invalid API key', statusCode: 401 });
      // As Immich: a key without the route's permission gets 403 naming it.
      const needed = ROUTE_PERMISSIONS[key];
      if (needed && !this.permissions.includes(Permission.All) && !this.permissions.includes(needed))
        return reply.status(403).send({ message: `Missing required permission: ${needed}`, statusCode: 403 });
    });

    app.get<{ Reply: ServerVersionResponseDto }>('/api/server/version', () => Promise.resolve(this.version));

    app.get<{ Reply: ApiKeyResponseDto }>('/api/api-keys/me', () =>
      Promise.resolve({
        id: '00000000-0000-4000-8000-0000000000aa',
        name: 'photo-sync',
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
        permissions: this.permissions,
      }),
    );

    app.post<{ Body: MetadataSearchDto; Reply: SearchResponseDto }>('/api/search/metadata', (req) => {
      const q = req.body;
      const size = Math.min(q.size ?? 250, 1000);
      const page = q.page ?? 1;
      const after = q.updatedAfter ? Date.parse(q.updatedAfter) : null;
      const stackedAway = new Set(
        q.withStacked
          ? []
          : [...this.stacks.values()].flatMap((s) => s.assetIds.filter((id) => id !== s.primaryAssetId)),
      );
      const matching = [...this.assets.values()].filter(
        (a) =>
          (q.withDeleted || a.deletedAt === null) &&
          (after === null || Date.parse(a.dto.updatedAt) > after) &&
          (q.type === undefined || a.dto.type === q.type) &&
          !stackedAway.has(a.dto.id),
      );
      const slice = matching.slice((page - 1) * size, page * size);
      const items = slice.map((a) => {
        const dto = this.withStack(a);
        if (!q.withExif) delete dto.exifInfo;
        return dto;
      });
      const more = page * size < matching.length;
      return {
        albums: { count: 0, facets: [], items: [], total: 0 },
        assets: {
          count: items.length,
          facets: [],
          items,
          total: matching.length,
          nextPage: more ? String(page + 1) : null,
          nextCursor: null,
        },
      };
    });

    app.get<{ Params: { id: string }; Reply: AssetResponseDto }>('/api/assets/:id', async (req, reply) => {
      const a = this.assets.get(req.params.id);
      return a ? this.withStack(a) : notFound(reply);
    });

    app.put<{ Params: { id: string }; Body: UpdateAssetDto; Reply: AssetResponseDto }>(
      '/api/assets/:id',
      async (req, reply) => {
        const a = this.assets.get(req.params.id);
        if (!a) return notFound(reply);
        applyUpdate(a, req.body);
        this.touch(a);
        return this.withStack(a);
      },
    );

    app.put<{ Body: AssetBulkUpdateDto }>('/api/assets', async (req, reply) => {
      const { ids, ...update } = req.body;
      for (const id of ids) {
        const a = this.assets.get(id);
        if (!a) continue;
        applyUpdate(a, update);
        if (update.duplicateId !== undefined) a.dto.duplicateId = update.duplicateId;
        this.touch(a);
      }
      return reply.status(204).send();
    });

    app.delete<{ Body: AssetBulkDeleteDto }>('/api/assets', async (req, reply) => {
      for (const id of req.body.ids) {
        const a = this.assets.get(id);
        if (!a) continue;
        if (req.body.force) this.purge(id);
        else {
          a.deletedAt = new Date(this.clock);
          this.touch(a);
        }
      }
      return reply.status(204).send();
    });

    app.post<{ Body: BulkIdsDto; Reply: TrashResponseDto }>('/api/trash/restore/assets', (req) => {
      let count = 0;
      for (const id of req.body.ids) {
        const a = this.assets.get(id);
        if (a?.deletedAt) {
          a.deletedAt = null;
          this.touch(a);
          count++;
        }
      }
      return { count };
    });

    app.get<{ Params: { id: string }; Querystring: { size?: string } }>(
      '/api/assets/:id/thumbnail',
      async (req, reply) => {
        const a = this.assets.get(req.params.id);
        if (!a) return notFound(reply);
        const preview = req.query.size === 'preview';
        return reply.type(preview ? 'image/jpeg' : 'image/webp').send(preview ? a.preview : a.thumbnail);
      },
    );

    app.get<{ Params: { id: string } }>('/api/assets/:id/original', async (req, reply) => {
      const a = this.assets.get(req.params.id);
      if (!a) return notFound(reply);
      return reply.type(a.dto.originalMimeType ?? 'application/octet-stream').send(a.original);
    });

    app.post<{ Body: StackCreateDto; Reply: StackResponseDto }>('/api/stacks', async (req, reply) => {
      const ids = req.body.assetIds;
      if (ids.length < 2 || ids.some((id) => !this.assets.has(id)))
        return reply
          .status(400)
          .send({ message: 'A stack needs at least two existing assets', statusCode: 400 } as never);
      // Immich merges existing stacks of these assets into the new one.
      for (const [sid, s] of this.stacks)
        if (s.assetIds.some((id) => ids.includes(id))) this.stacks.delete(sid);
      const stack: FakeStack = { id: randomUUID(), primaryAssetId: ids[0] as string, assetIds: [...ids] };
      this.stacks.set(stack.id, stack);
      for (const id of ids) this.touch(this.assets.get(id) as FakeAsset);
      return this.stackDto(stack);
    });

    app.get<{ Params: { id: string }; Reply: StackResponseDto }>('/api/stacks/:id', async (req, reply) => {
      const s = this.stacks.get(req.params.id);
      return s ? this.stackDto(s) : notFound(reply);
    });

    app.put<{ Params: { id: string }; Body: StackUpdateDto; Reply: StackResponseDto }>(
      '/api/stacks/:id',
      async (req, reply) => {
        const s = this.stacks.get(req.params.id);
        if (!s) return notFound(reply);
        const primary = req.body.primaryAssetId;
        if (primary !== undefined) {
          if (!s.assetIds.includes(primary))
            return reply
              .status(400)
              .send({ message: 'Primary asset must be in the stack', statusCode: 400 } as never);
          s.primaryAssetId = primary;
        }
        return this.stackDto(s);
      },
    );

    app.delete<{ Params: { id: string } }>('/api/stacks/:id', async (req, reply) => {
      if (!this.stacks.delete(req.params.id)) return notFound(reply);
      return reply.status(204).send();
    });

    app.get<{ Querystring: { assetId?: string }; Reply: AlbumResponseDto[] }>('/api/albums', (req) =>
      [...this.albums.values()]
        .filter((a) => req.query.assetId === undefined || a.assetIds.has(req.query.assetId))
        .map((a) => this.albumDto(a)),
    );

    app.post<{ Body: CreateAlbumDto; Reply: AlbumResponseDto }>('/api/albums', async (req, reply) => {
      const album: FakeAlbum = {
        id: randomUUID(),
        albumName: req.body.albumName,
        description: req.body.description ?? '',
        assetIds: new Set((req.body.assetIds ?? []).filter((id) => this.assets.has(id))),
        createdAt: this.tick(),
      };
      this.albums.set(album.id, album);
      return reply.status(201).send(this.albumDto(album));
    });

    app.put<{ Params: { id: string }; Body: BulkIdsDto; Reply: BulkIdResponseDto[] }>(
      '/api/albums/:id/assets',
      async (req, reply) => {
        const album = this.albums.get(req.params.id);
        if (!album) return notFound(reply);
        return req.body.ids.map((id): BulkIdResponseDto => {
          if (!this.assets.has(id)) return { id, success: false, errorMessage: 'not found' };
          if (album.assetIds.has(id)) return { id, success: false, errorMessage: 'duplicate' };
          album.assetIds.add(id);
          return { id, success: true };
        });
      },
    );

    app.delete<{ Params: { id: string }; Body: BulkIdsDto; Reply: BulkIdResponseDto[] }>(
      '/api/albums/:id/assets',
      async (req, reply) => {
        const album = this.albums.get(req.params.id);
        if (!album) return notFound(reply);
        return req.body.ids.map((id): BulkIdResponseDto => ({ id, success: album.assetIds.delete(id) }));
      },
    );

    app.delete<{ Params: { id: string } }>('/api/albums/:id', async (req, reply) => {
      if (!this.albums.delete(req.params.id)) return notFound(reply);
      return reply.status(204).send();
    });

    this.server = app;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('fake Immich has no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}

/** Immich's two renditions of a picture: a preview (≤1440 px JPEG) and a thumbnail (≈250 px WebP). */
async function renditionsOf(source: Buffer) {
  const preview = await sharp(source, { failOn: 'none' })
    .rotate()
    .resize({ width: 1440, height: 1440, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
  const thumbnail = await sharp(preview)
    .resize({ width: 250, height: 250, fit: 'outside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  const meta = await sharp(preview).metadata();
  return { preview, thumbnail, size: { width: meta.width, height: meta.height } };
}

function applyUpdate(a: FakeAsset, u: UpdateAssetDto | Omit<AssetBulkUpdateDto, 'ids'>): void {
  if (u.isFavorite !== undefined) a.dto.isFavorite = u.isFavorite;
  const exif = (a.dto.exifInfo ??= {});
  if (u.rating !== undefined) exif.rating = u.rating;
  if (u.description !== undefined) exif.description = u.description;
}

function exposureText(seconds: number): string {
  return seconds >= 1 ? String(seconds) : `1/${Math.round(1 / seconds)}`;
}
