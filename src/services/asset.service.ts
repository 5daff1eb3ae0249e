import type { AssetListRow, AssetRepository, AssetRow } from '../db/repositories/asset.repository.js';
import type { AssetStatus } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import type { ThumbnailStore } from '../fs/thumbnail-store.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

export interface AssetPage {
  items: AssetListRow[];
  next: { at: Date; id: string } | null;
}

export class AssetService {
  constructor(
    private readonly assets: AssetRepository,
    private readonly thumbnails: ThumbnailStore,
    private readonly access: LibraryAccess,
  ) {}

  /** The timeline of the libraries the caller can see (optionally one of them). */
  async list(
    who: Principal,
    q: { limit: number; after: { at: Date; id: string } | null; libraryId?: string; status: AssetStatus },
  ): Promise<AssetPage> {
    const libraryIds = await this.access.visibleIds(who);
    if (libraryIds.length === 0) return { items: [], next: null };
    // One extra row tells whether another page exists without a count query.
    const rows = await this.assets.listPage({
      limit: q.limit + 1,
      after: q.after && { sortAt: q.after.at, id: q.after.id },
      status: q.status,
      libraryIds,
      ...(q.libraryId ? { libraryId: q.libraryId } : {}),
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, next: rows.length > q.limit && last ? { at: last.sort_at, id: last.id } : null };
  }

  /** The asset if the caller can see its library; another user's asset is "not found". */
  async get(who: Principal, id: string): Promise<AssetRow> {
    const row = await this.assets.findById(id);
    if (!row) throw new NotFoundError(`Asset ${id} not found`);
    await this.access.require(who, row.library_id, 'viewer', `Asset ${id}`);
    return row;
  }

  async thumbnail(who: Principal, id: string): Promise<Buffer> {
    const asset = await this.get(who, id);
    const data = asset.has_thumbnail ? await this.thumbnails.read(asset.id) : null;
    if (!data) {
      const why = asset.problem_message ?? 'it has not been generated yet';
      throw new NotFoundError(`Asset ${id} has no thumbnail: ${why}`);
    }
    return data;
  }
}
