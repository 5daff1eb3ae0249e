import type {
  AlbumRow,
  SuggestionRepository,
  SuggestionRow,
} from '../db/repositories/suggestion.repository.js';
import { NotFoundError } from '../errors.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { ImmichWriter } from './immich-writer.js';
import { scopeOfCaller, type ScopeRequest } from './caller-scope.js';
import { pageOf } from './page.js';
import type { LibraryAccess } from './library-access.js';

/** A suggestion as one user sees it: `accepted_album_id` is that user's album of it, if any. */
export type ListedSuggestion = SuggestionRow & { accepted_album_id: string | null; assetIds: string[] };

/** Event and place suggestions, and the albums accepting them creates (each user's own). */
export class SuggestionService {
  constructor(
    private readonly repo: SuggestionRepository,
    private readonly access: LibraryAccess,
    /** Creates the album in Immich too, for a suggestion of an Immich library. */
    private readonly immich: ImmichWriter | null = null,
  ) {}

  async list(
    who: Principal,
    q: ScopeRequest & { status?: 'open' | 'accepted'; limit: number; after: string | null },
  ): Promise<{ items: ListedSuggestion[]; next: string | null }> {
    const scope = await scopeOfCaller(this.access, who, q);
    if (!scope) return { items: [], next: null };
    const rows = await this.repo.list({
      ...scope,
      viewerId: who.userId,
      ...(q.status ? { status: q.status } : {}),
      limit: q.limit + 1,
      after: q.after,
    });
    const page = pageOf(rows, q.limit, (s) => s.id);
    const assetIds = await this.repo.assetIdsOf(page.items.map((s) => s.id));
    const items = page.items.map((s) => ({ ...s, assetIds: assetIds.get(s.id) ?? [] }));
    return { items, next: page.next };
  }

  /**
   * Creates (or returns, when accepted before) the caller's album, named as given or as suggested.
   * For an Immich library the album is also created in Immich with the suggestion's photos (once
   * per suggestion, through a push job that can be undone).
   */
  async accept(
    who: Principal,
    id: string,
    origin: RequestOrigin,
    name?: string,
  ): Promise<{ album: AlbumRow; immichJobId: string | null }> {
    const s = await this.repo.findById(id);
    if (!s) throw new NotFoundError(`Suggestion ${id} not found`);
    await this.access.require(who, s.library_id, 'editor', `Suggestion ${id}`);
    const album = await this.repo.accept(s, name?.trim() || s.name, who.userId);
    const assetIds = this.immich ? ((await this.repo.assetIdsOf([id])).get(id) ?? []) : [];
    const written =
      (await this.immich?.writeDecisions(
        who,
        s.library_id,
        [{ kind: 'album', subjectId: id, name: album.name, assetIds }],
        origin,
        { once: true },
      )) ?? null;
    return { album, immichJobId: written?.jobId ?? null };
  }

  async albums(who: Principal, limit: number, after: string | null) {
    return pageOf(await this.repo.albums(who.userId, limit + 1, after), limit, (a) => a.id);
  }

  /** Another user's album does not exist for the caller (404, like every private resource). */
  async album(who: Principal, id: string): Promise<{ album: AlbumRow; assetIds: string[] }> {
    const album = await this.repo.findAlbum(id);
    if (!album || album.owner_id !== who.userId) throw new NotFoundError(`Album ${id} not found`);
    return { album, assetIds: await this.repo.albumAssetIds(id) };
  }
}
