import type {
  AlbumRow,
  SuggestionRepository,
  SuggestionRow,
} from '../db/repositories/suggestion.repository.js';
import { NotFoundError } from '../errors.js';

/** Event and place suggestions, and the albums accepting them creates. */
export class SuggestionService {
  constructor(private readonly repo: SuggestionRepository) {}

  async list(q: {
    libraryId?: string;
    batchId?: string;
    status?: 'open' | 'accepted';
    limit: number;
    after: string | null;
  }): Promise<{ items: (SuggestionRow & { assetIds: string[] })[]; next: string | null }> {
    const rows = await this.repo.list({ ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const items = await Promise.all(
      page.map(async (s) => ({ ...s, assetIds: await this.repo.assetIds(s.id) })),
    );
    return { items, next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** Creates (or returns, when accepted before) the suggestion's album, named as given or as suggested. */
  async accept(id: string, name?: string): Promise<AlbumRow> {
    const s = await this.repo.findById(id);
    if (!s) throw new NotFoundError(`Suggestion ${id} not found`);
    return this.repo.accept(s, name?.trim() || s.name);
  }

  async albums(limit: number, after: string | null) {
    const rows = await this.repo.albums(limit + 1, after);
    const page = rows.slice(0, limit);
    return { items: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  async album(id: string): Promise<{ album: AlbumRow; assetIds: string[] }> {
    const album = await this.repo.findAlbum(id);
    if (!album) throw new NotFoundError(`Album ${id} not found`);
    return { album, assetIds: await this.repo.albumAssetIds(id) };
  }
}
