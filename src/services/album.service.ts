import type {
  AlbumListRow,
  AlbumRepository,
  FavouriteRepository,
} from '../db/repositories/album.repository.js';
import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { AlbumRow } from '../db/repositories/suggestion.repository.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';
import { pageOf } from './page.js';

export interface AlbumDetail {
  album: AlbumRow;
  assets: AssetRow[];
  coverId: string | null;
}

export interface AlbumChange {
  name?: string;
  description?: string | null;
  coverAssetId?: string | null;
  addAssetIds?: string[];
  removeAssetIds?: string[];
}

/**
 * Albums, each its owner's own (another user's album does not exist for the caller: 404). An album
 * holds only photos its owner can see; adding one they cannot is refused, naming it.
 */
export class AlbumService {
  constructor(
    private readonly repo: AlbumRepository,
    private readonly access: LibraryAccess,
    private readonly audit: AuditService,
  ) {}

  async list(
    who: Principal,
    limit: number,
    after: string | null,
  ): Promise<{ items: AlbumListRow[]; next: string | null }> {
    const libraries = await this.access.visibleIds(who);
    return pageOf(await this.repo.list(who.userId, libraries, limit + 1, after), limit, (a) => a.id);
  }

  async get(who: Principal, id: string): Promise<AlbumDetail> {
    const album = await this.owned(who, id);
    const assets = await this.repo.assets(id, await this.access.visibleIds(who));
    const cover = assets.find((a) => a.id === album.cover_asset_id)?.id ?? assets[0]?.id ?? null;
    return { album, assets, coverId: cover };
  }

  async create(
    who: Principal,
    input: { name: string; description?: string | null; assetIds?: string[] },
    origin: RequestOrigin,
  ): Promise<AlbumDetail> {
    const name = input.name.trim();
    if (!name) throw new InvalidInputError('An album needs a name.');
    const assetIds = await this.checkedAssets(who, input.assetIds ?? []);
    const album = await this.repo.create(who.userId, name, input.description?.trim() || null);
    await this.repo.addAssets(album.id, assetIds);
    await this.audit.record(who, origin, 'album.created', `album:${album.id}`, {
      name,
      assets: assetIds.length,
    });
    return this.get(who, album.id);
  }

  /** Renames, re-describes, adds and removes photos, and sets the cover, in that order. */
  async update(who: Principal, id: string, change: AlbumChange): Promise<AlbumDetail> {
    await this.owned(who, id);
    const name = change.name?.trim();
    if (change.name !== undefined && !name) throw new InvalidInputError('An album needs a name.');
    await this.repo.update(id, {
      ...(name ? { name } : {}),
      ...(change.description !== undefined ? { description: change.description?.trim() || null } : {}),
    });
    if (change.addAssetIds) await this.repo.addAssets(id, await this.checkedAssets(who, change.addAssetIds));
    if (change.removeAssetIds) await this.repo.removeAssets(id, change.removeAssetIds);
    if (change.coverAssetId !== undefined) {
      const detail = await this.get(who, id);
      if (change.coverAssetId !== null && !detail.assets.some((a) => a.id === change.coverAssetId))
        throw new InvalidInputError(
          `The cover must be a photo of the album; ${change.coverAssetId} is not in it.`,
        );
      await this.repo.update(id, { cover_asset_id: change.coverAssetId });
    }
    return this.get(who, id);
  }

  /** Forgets the album; its photos stay where they are. */
  async delete(who: Principal, id: string, origin: RequestOrigin): Promise<void> {
    const album = await this.owned(who, id);
    await this.repo.delete(id);
    await this.audit.record(who, origin, 'album.deleted', `album:${id}`, { name: album.name });
  }

  private async owned(who: Principal, id: string): Promise<AlbumRow> {
    const album = await this.repo.find(id);
    if (!album || album.owner_id !== who.userId) throw new NotFoundError(`Album ${id} not found`);
    return album;
  }

  private async checkedAssets(who: Principal, assetIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(assetIds)];
    const found = new Set(await this.repo.visibleAssets(unique, await this.access.visibleIds(who)));
    const missing = unique.filter((a) => !found.has(a));
    if (missing.length > 0)
      throw new NotFoundError(`Photos not found (or not yours to add): ${missing.slice(0, 5).join(', ')}`);
    return unique;
  }
}

/** Each user's favourites: marking needs only sight of the photo (a viewer may keep favourites). */
export class FavouriteService {
  constructor(
    private readonly repo: FavouriteRepository,
    private readonly access: LibraryAccess,
    private readonly assetLibrary: (assetId: string) => Promise<string | null>,
  ) {}

  async set(who: Principal, assetId: string, favourite: boolean): Promise<void> {
    await this.requireVisible(who, assetId);
    await this.repo.set(who.userId, assetId, favourite);
  }

  async has(who: Principal, assetId: string): Promise<boolean> {
    return this.repo.has(who.userId, assetId);
  }

  async list(who: Principal, limit: number, after: { value: number; id: string } | null) {
    const rows = await this.repo.list(who.userId, await this.access.visibleIds(who), limit + 1, after);
    return pageOf(rows, limit, (r) => ({ value: r.favourited_at.getTime(), id: r.id }));
  }

  private async requireVisible(who: Principal, assetId: string): Promise<void> {
    const library = await this.assetLibrary(assetId);
    if (!library) throw new NotFoundError(`Asset ${assetId} not found`);
    await this.access.require(who, library, 'viewer', `Asset ${assetId}`);
  }
}
