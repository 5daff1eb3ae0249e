import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { DecisionRepository } from '../db/repositories/decision.repository.js';
import type { DuplicateGroupRow } from '../db/repositories/duplicate.repository.js';
import type { CategoryFigures, TriageRepository, TriageScope } from '../db/repositories/triage.repository.js';
import type { Confidence } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import type { ActionService, RemovalRequest } from './action.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { BurstDetail, BurstService } from './burst.service.js';
import { scopeOfCaller, type ScopeRequest } from './caller-scope.js';
import { pageOf } from './page.js';
import type { LibraryAccess } from './library-access.js';
import type { DuplicateService } from './duplicate.service.js';
import type { SuggestionService } from './suggestion.service.js';
import type { VersionService, VersionStackDetail } from './version.service.js';

export const triageCategories = [
  'exact-duplicates',
  'near-duplicates',
  'low-quality',
  'bursts',
  'versions',
  'unorganised',
] as const;
export type TriageCategory = (typeof triageCategories)[number];

export interface CategorySummary {
  key: TriageCategory;
  itemCount: number;
  bytesSaved: number;
  confidence: Confidence;
  recommendation: string;
}

export type TriageItems =
  | { category: 'exact-duplicates' | 'near-duplicates'; items: DuplicateGroupRow[]; next: string | null }
  | { category: 'low-quality'; items: AssetRow[]; next: string | null }
  | { category: 'bursts'; items: BurstDetail[]; next: string | null }
  | { category: 'versions'; items: VersionStackDetail[]; next: string | null }
  | {
      category: 'unorganised';
      items: Awaited<ReturnType<SuggestionService['list']>>['items'];
      next: string | null;
    };

/** Largest number of pages one "accept all" works through (a guard, far above any real library). */
const ACCEPT_PAGE = 200;
const MAX_ACCEPT_ROUNDS = 10_000;

/**
 * The triage dashboard: per category, how much there is, what it saves and how sure we are
 * (green: safe to auto-fix, yellow: quick review, orange: manual), its items, and "accept all
 * recommendations" — which records decisions; the issue-5 action job applies removals.
 */
export class TriageService {
  constructor(
    private readonly repo: TriageRepository,
    private readonly decisions: DecisionRepository,
    private readonly duplicates: DuplicateService,
    private readonly bursts: BurstService,
    private readonly versions: VersionService,
    private readonly suggestions: SuggestionService,
    private readonly assetsByIds: (ids: readonly string[]) => Promise<AssetRow[]>,
    private readonly access: LibraryAccess,
    private readonly actions: ActionService,
  ) {}

  async summary(who: Principal, request: ScopeRequest): Promise<CategorySummary[]> {
    const scope = (await scopeOfCaller(this.access, who, request)) ?? NOTHING;
    const exact = await this.repo.duplicateFigures('exact', scope);
    const near = await this.repo.duplicateFigures('near', scope);
    const quality = await this.repo.qualityFigures(scope);
    const bursts = await this.repo.burstFigures(scope);
    const versions = await this.repo.versionFigures(scope);
    const unorganised = await this.repo.suggestionFigures(scope, who.userId);
    const card = (
      key: TriageCategory,
      f: CategoryFigures,
      confidence: Confidence,
      recommendation: string,
    ): CategorySummary => ({
      key,
      itemCount: f.itemCount,
      bytesSaved: f.bytesSaved,
      confidence,
      recommendation,
    });
    return [
      card(
        'exact-duplicates',
        exact,
        exact.allGreen ? 'green' : 'yellow',
        'Keep one copy of each file (byte-identical); move the other copies to the trash.',
      ),
      card(
        'near-duplicates',
        near,
        'yellow',
        'Keep the best version of each picture; move the others to the trash.',
      ),
      card(
        'low-quality',
        quality,
        'yellow',
        'Move very blurry, too dark, overexposed and corrupted photos to the trash.',
      ),
      card('bursts', bursts, 'yellow', 'Keep the recommended (sharpest, best exposed) frame of each burst.'),
      card(
        'versions',
        versions,
        'green',
        'Show each stack as one photo under its primary (an Immich library gets Immich stacks); nothing is removed.',
      ),
      card('unorganised', unorganised, 'orange', 'Create albums from the suggested events and places.'),
    ];
  }

  async items(
    who: Principal,
    category: TriageCategory,
    request: ScopeRequest,
    limit: number,
    after: string | null,
  ): Promise<TriageItems> {
    const scope = (await scopeOfCaller(this.access, who, request)) ?? NOTHING;
    switch (category) {
      case 'exact-duplicates':
      case 'near-duplicates': {
        const kind = category === 'exact-duplicates' ? 'exact' : 'near';
        const rows = await this.repo.duplicateGroups(kind, scope, limit + 1, after);
        return { category, ...pageOf(rows, limit, (g) => g.id) };
      }
      case 'low-quality': {
        const ids = await this.repo.flaggedAssetIds(scope, limit + 1, after);
        const rows = await this.assetsByIds(ids.slice(0, limit));
        rows.sort((a, b) => (a.quality_score ?? 0) - (b.quality_score ?? 0) || (a.id < b.id ? -1 : 1));
        return { category, items: rows, next: ids.length > limit ? (ids[limit - 1] ?? null) : null };
      }
      case 'bursts': {
        const r = await this.bursts.list(who, {
          ...request,
          status: 'open',
          limit,
          after: afterValue(after),
        });
        return { category, items: r.items, next: r.next && `${r.next.value}:${r.next.id}` };
      }
      case 'versions':
        return { category, ...(await this.versions.list(who, { ...request, limit, after })) };
      case 'unorganised':
        return {
          category,
          ...(await this.suggestions.list(who, { ...request, status: 'open', limit, after })),
        };
    }
  }

  /**
   * "Accept all recommendations" of a category in scope: the removals go to the trash through the
   * action job (or onto the move list of a read-only library), bursts keep their best frame,
   * suggestions become the caller's albums. In an Immich library, version stacks become Immich
   * stacks and accepted suggestions Immich albums (push jobs that can be undone). Returns how many
   * items were decided and the ids of those Immich jobs.
   */
  async acceptAll(
    who: Principal,
    category: TriageCategory,
    request: ScopeRequest,
    origin: RequestOrigin,
  ): Promise<{ recorded: number; immichJobIds: string[] }> {
    const immichJobIds: string[] = [];
    const scope = await scopeOfCaller(this.access, who, request);
    if (!scope) return { recorded: 0, immichJobIds };
    // Editors only: checked up front for every library in scope, so nothing is half-applied.
    await this.access.requireAll(who, scope.libraryIds, 'editor', 'Library');
    let recorded = 0;
    for (let round = 0; round < MAX_ACCEPT_ROUNDS; round++) {
      const n = await this.acceptPage(who, category, scope, request, origin, immichJobIds);
      if (n === 0) break;
      recorded += n;
    }
    return { recorded, immichJobIds };
  }

  /** One page of open items; each accepted item leaves the open set, so the next page starts over. */
  private async acceptPage(
    who: Principal,
    category: TriageCategory,
    scope: TriageScope,
    request: ScopeRequest,
    origin: RequestOrigin,
    immichJobIds: string[],
  ): Promise<number> {
    switch (category) {
      case 'exact-duplicates':
      case 'near-duplicates': {
        const kind = category === 'exact-duplicates' ? 'exact' : 'near';
        const groups = await this.repo.duplicateGroups(kind, scope, ACCEPT_PAGE, null);
        for (const g of groups) {
          try {
            await this.duplicates.apply(who, g.id, [g.keeper_asset_id], origin);
          } catch (err) {
            // A group whose files are already being removed by another request is decided there.
            if (!(err instanceof ConflictError)) throw err;
            await this.duplicates.decide(who, g.id, { action: 'dismiss' }).catch(() => undefined);
          }
        }
        return groups.length;
      }
      case 'low-quality': {
        const ids = await this.repo.flaggedAssetIds(scope, ACCEPT_PAGE, null);
        const rows = await this.assetsByIds(ids);
        await this.removeEach(
          who,
          rows.map((a) => ({
            assetId: a.id,
            keepAssetIds: [],
            source: 'quality',
            sourceId: a.id,
            reason: a.quality_labels.join(', ') || 'low quality',
          })),
          origin,
        );
        return this.decisions.record(
          rows.map((a) => ({
            libraryId: a.library_id,
            kind: 'quality' as const,
            subjectId: a.id,
            keepAssetIds: [],
            removeAssetIds: [a.id],
          })),
        );
      }
      case 'bursts': {
        const r = await this.bursts.list(who, {
          ...request,
          status: 'open',
          limit: ACCEPT_PAGE,
          after: null,
        });
        for (const b of r.items) {
          const decided = await this.bursts.decide(who, b.burst.id, { action: 'keep-best' }, origin);
          if (decided.immichJobId) immichJobIds.push(decided.immichJobId);
        }
        return r.items.length;
      }
      case 'versions': {
        // Versions are never removed and photo-sync stacks them on display; an Immich library gets
        // each stack written as an Immich stack, once (stacks already written are left out, which
        // ends the rounds).
        const stacks: VersionStackDetail[] = [];
        for (let after: string | null = null, more = true; more;) {
          const page = await this.versions.list(who, { ...request, limit: ACCEPT_PAGE, after });
          stacks.push(...page.items);
          after = page.next;
          more = page.next !== null;
        }
        const written = await this.versions.writeToImmich(who, stacks, origin, true);
        immichJobIds.push(...written.jobIds);
        return written.written;
      }
      case 'unorganised': {
        const r = await this.suggestions.list(who, {
          ...request,
          status: 'open',
          limit: ACCEPT_PAGE,
          after: null,
        });
        for (const s of r.items) {
          const accepted = await this.suggestions.accept(who, s.id, origin);
          if (accepted.immichJobId) immichJobIds.push(accepted.immichJobId);
        }
        return r.items.length;
      }
    }
  }

  /** One job for the page; if some file is already being removed elsewhere, the rest still go. */
  private async removeEach(who: Principal, requests: RemovalRequest[], origin: RequestOrigin): Promise<void> {
    if (requests.length === 0) return;
    try {
      await this.actions.requestRemovals(who, requests, origin);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      for (const r of requests)
        await this.actions.requestRemovals(who, [r], origin).catch((e: unknown) => {
          if (!(e instanceof ConflictError)) throw e;
        });
    }
  }
}

/** A scope that matches nothing (the caller sees no library): every figure is zero. */
const NOTHING: TriageScope = { libraryIds: ['00000000-0000-0000-0000-000000000000'] };

function afterValue(after: string | null): { value: number; id: string } | null {
  if (!after) return null;
  const cut = after.indexOf(':');
  return { value: Number(after.slice(0, cut)), id: after.slice(cut + 1) };
}
