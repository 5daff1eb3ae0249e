import type { Principal } from './auth/principal.js';
import type { AssetRow } from '../db/repositories/asset.repository.js';
import type { DecisionRepository, DecisionRow } from '../db/repositories/decision.repository.js';
import type { DuplicateGroupRow } from '../db/repositories/duplicate.repository.js';
import type { CategoryFigures, TriageRepository, TriageScope } from '../db/repositories/triage.repository.js';
import type { Confidence, DecisionKind } from '../db/schema.js';
import type { BurstDetail, BurstService } from './burst.service.js';
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
  ) {}

  async summary(scope: TriageScope): Promise<CategorySummary[]> {
    const exact = await this.repo.duplicateFigures('exact', scope);
    const near = await this.repo.duplicateFigures('near', scope);
    const quality = await this.repo.qualityFigures(scope);
    const bursts = await this.repo.burstFigures(scope);
    const versions = await this.repo.versionFigures(scope);
    const unorganised = await this.repo.suggestionFigures(scope);
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
        'Show each stack as one photo under its primary; nothing is removed.',
      ),
      card('unorganised', unorganised, 'orange', 'Create albums from the suggested events and places.'),
    ];
  }

  async items(
    category: TriageCategory,
    scope: TriageScope,
    limit: number,
    after: string | null,
  ): Promise<TriageItems> {
    switch (category) {
      case 'exact-duplicates':
      case 'near-duplicates': {
        const kind = category === 'exact-duplicates' ? 'exact' : 'near';
        const rows = await this.repo.duplicateGroups(kind, scope, limit + 1, after);
        return { category, ...page(rows, limit, (g) => g.id) };
      }
      case 'low-quality': {
        const ids = await this.repo.flaggedAssetIds(scope, limit + 1, after);
        const rows = await this.assetsByIds(ids.slice(0, limit));
        rows.sort((a, b) => (a.quality_score ?? 0) - (b.quality_score ?? 0) || (a.id < b.id ? -1 : 1));
        return { category, items: rows, next: ids.length > limit ? (ids[limit - 1] ?? null) : null };
      }
      case 'bursts': {
        const r = await this.bursts.list({ ...scope, status: 'open', limit, after: afterValue(after) });
        return { category, items: r.items, next: r.next && `${r.next.value}:${r.next.id}` };
      }
      case 'versions':
        return { category, ...(await this.versions.list({ ...scope, limit, after })) };
      case 'unorganised':
        return { category, ...(await this.suggestions.list({ ...scope, status: 'open', limit, after })) };
    }
  }

  /** The decision log (docs/INSIGHTS.md): what was decided, for the action job and the UI. */
  async decisionLog(q: {
    status: 'recorded' | 'applied';
    kind?: DecisionKind;
    libraryId?: string;
    limit: number;
    after: { value: number; id: string } | null;
  }): Promise<{ items: DecisionRow[]; next: { value: number; id: string } | null }> {
    const rows = await this.decisions.list({ ...q, limit: q.limit + 1 });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items,
      next: rows.length > q.limit && last ? { value: last.created_at.getTime(), id: last.id } : null,
    };
  }

  /** Records the recommended decision for every open item of the category in scope; returns how many. */
  async acceptAll(who: Principal, category: TriageCategory, scope: TriageScope): Promise<number> {
    let recorded = 0;
    for (let round = 0; round < MAX_ACCEPT_ROUNDS; round++) {
      const n = await this.acceptPage(who, category, scope);
      if (n === 0) break;
      recorded += n;
    }
    return recorded;
  }

  /** One page of open items; each accepted item leaves the open set, so the next page starts over. */
  private async acceptPage(who: Principal, category: TriageCategory, scope: TriageScope): Promise<number> {
    switch (category) {
      case 'exact-duplicates':
      case 'near-duplicates': {
        const kind = category === 'exact-duplicates' ? 'exact' : 'near';
        const groups = await this.repo.duplicateGroups(kind, scope, ACCEPT_PAGE, null);
        for (const g of groups) {
          const detail = await this.duplicates.decide(who, g.id, {
            action: 'keep',
            keepAssetIds: [g.keeper_asset_id],
          });
          await this.decisions.record([
            {
              libraryId: scope.libraryId ?? detail.members[0]?.library_id ?? null,
              kind: 'duplicate',
              subjectId: g.id,
              keepAssetIds: [g.keeper_asset_id],
              removeAssetIds: detail.members.map((m) => m.id).filter((id) => id !== g.keeper_asset_id),
            },
          ]);
        }
        return groups.length;
      }
      case 'low-quality': {
        const ids = await this.repo.flaggedAssetIds(scope, ACCEPT_PAGE, null);
        const rows = await this.assetsByIds(ids);
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
        const r = await this.bursts.list({ ...scope, status: 'open', limit: ACCEPT_PAGE, after: null });
        for (const b of r.items) await this.bursts.decide(b.burst.id, { action: 'keep-best' });
        return r.items.length;
      }
      case 'versions':
        // Stacking is already applied on display; versions are never removed.
        return 0;
      case 'unorganised': {
        const r = await this.suggestions.list({ ...scope, status: 'open', limit: ACCEPT_PAGE, after: null });
        for (const s of r.items) await this.suggestions.accept(s.id);
        return r.items.length;
      }
    }
  }
}

function page<T>(
  rows: readonly T[],
  limit: number,
  idOf: (row: T) => string,
): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? idOf(last) : null };
}

function afterValue(after: string | null): { value: number; id: string } | null {
  if (!after) return null;
  const cut = after.indexOf(':');
  return { value: Number(after.slice(0, cut)), id: after.slice(cut + 1) };
}
