import { useQueries, useQuery, useQueryClient, type Query } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import { filterQuery, type TimelineFilter } from '../api/explore';
import type { GridAsset, MonthBucket, Page } from '../api/types';
import { localDay, type TimelineItem } from './timeline-layout';

/** A grid card as the layout needs it; the viewer loads the whole asset (GET /api/assets/:id). */
export type TimelineAsset = GridAsset & TimelineItem & { groupKind: 'versions' | 'burst' | null };
type StackMap = Map<string, { stackId: string; primary: boolean }>;

/** Assets per request while a month loads (the API's maximum page). */
export const TIMELINE_PAGE = 500;
/** The newest assets, asked for beside the month counts: more than a large screen shows. */
export const FIRST_SCREEN_PAGE = 100;

/** The browser's time zone: months and days are the user's local ones, on the server too. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Version stacks (from the insights API when the server has it): asset id → stack. */
function useStacks() {
  return useQuery({
    queryKey: ['versions', 'all'],
    queryFn: async () => {
      const byAsset: StackMap = new Map();
      const page = await api.versions.list({ limit: 500 });
      for (const s of page.items)
        for (const m of s.members) byAsset.set(m.asset.id, { stackId: s.id, primary: m.isPrimary });
      return byAsset;
    },
    retry: false,
    staleTime: 60_000,
  });
}

/** Local midnight starting `month` (`YYYY-MM`) and the next one, as instants. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [y = 1970, m = 1] = month.split('-').map(Number);
  return { start: new Date(y, m - 1, 1), end: new Date(y, m, 1) };
}

const monthOf = (a: GridAsset) => localDay(a.takenAt).slice(0, 7);

/** The grid card's thumbnail (null: none was made; the card shows the kind instead). */
export const thumbnailOf = (a: GridAsset): string | null =>
  a.hasThumbnail ? `/api/assets/${a.id}/thumbnail` : null;

/** A month's assets so far: complete, or the newest part and where to go on. */
export interface MonthData {
  items: GridAsset[];
  cursor: string | null;
  complete: boolean;
}

const monthKey = (timeZone: string, month: string) => ['assets', 'timeline', 'month', timeZone, month];

/**
 * One month's assets, newest first: grid pages (GET /api/timeline/assets) starting just before the next month
 * (or where `from` stopped), until a page reaches an older month. `progress` sees each page.
 */
export async function fetchMonth(
  bucket: MonthBucket,
  from?: MonthData,
  progress?: (data: MonthData) => void,
  signal?: AbortSignal,
  filter: TimelineFilter = {},
): Promise<MonthData> {
  const { end } = monthRange(bucket.month);
  const items = from ? [...from.items] : [];
  let cursor = from?.cursor ?? null;
  for (;;) {
    // One more than the month still needs, so a single page usually tells the month is complete.
    const limit = Math.max(2, Math.min(TIMELINE_PAGE, bucket.assets - items.length + 1));
    const page = await api.timeline.assets(
      { ...filterQuery(filter), before: end.toISOString(), cursor, limit },
      signal,
    );
    let older = false;
    for (const a of page.items) {
      if (monthOf(a) === bucket.month) items.push(a);
      else if (monthOf(a) < bucket.month) older = true;
    }
    cursor = page.nextCursor;
    const data = { items: [...items], cursor, complete: older || !cursor };
    if (data.complete) return data;
    progress?.(data);
  }
}

/**
 * The newest page of the library, split into months: every month the page went past is complete,
 * the last one is its newest part (continued from the page's cursor when it scrolls into view).
 */
export function monthsOfPage(page: Page<GridAsset>): Map<string, MonthData> {
  const out = new Map<string, MonthData>();
  for (const a of page.items) {
    const month = monthOf(a);
    let data = out.get(month);
    if (!data) {
      for (const d of out.values()) d.complete = true;
      data = { items: [], cursor: null, complete: false };
      out.set(month, data);
    }
    data.items.push(a);
  }
  const last = [...out.values()].at(-1);
  if (last) {
    last.cursor = page.nextCursor;
    last.complete = page.nextCursor === null;
  }
  return out;
}

/**
 * Stand-in counts from the newest page until the real ones arrive. The count of the last month is
 * unknown (so its loading asks for full pages); the grid grows when the real counts come.
 */
function provisionalBuckets(months: ReadonlyMap<string, MonthData>): MonthBucket[] {
  return [...months].map(([month, d]) => ({
    month,
    cards: d.items.length,
    assets: d.complete ? d.items.length : Number.POSITIVE_INFINITY,
  }));
}

/** Stable across renders while no month query changes (react-query re-runs it only then). */
function combineMonths(
  results: readonly { data?: MonthData | undefined; error: Error | null; isFetching: boolean }[],
) {
  return {
    data: results.map((r) => r.data),
    error: results.find((r) => r.error)?.error ?? null,
    fetching: results.filter((r) => r.isFetching).length,
  };
}

/**
 * The timeline's months (counts for the whole library) and the assets of the months asked for
 * with `want` — the ones near the viewport; the rest stay placeholders.
 */
export function useTimelineAssets(filter: TimelineFilter = {}) {
  const zone = useMemo(browserTimeZone, []);
  // The filter bar's choices are part of every cache key: each filter has its own months.
  const filterKey = JSON.stringify(filterQuery(filter));
  const timeZone = filterKey === '{}' ? zone : `${zone} ${filterKey}`;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const stacks = useStacks();
  const client = useQueryClient();
  // The newest assets come first and show at once; the overview of the whole library (one
  // aggregate over every asset) is asked for right after, so it never delays the first screen.
  const newest = useQuery({
    queryKey: ['assets', 'timeline', 'newest', timeZone],
    queryFn: async () => {
      const page = await api.timeline.assets({ ...filterQuery(filterRef.current), limit: FIRST_SCREEN_PAGE });
      const months = monthsOfPage(page);
      for (const [month, data] of months) {
        const key = monthKey(timeZone, month);
        // A month already complete in the cache keeps its assets; the page only starts the others.
        if (!client.getQueryData<MonthData>(key)?.complete) client.setQueryData(key, data);
      }
      return provisionalBuckets(months);
    },
  });
  const buckets = useQuery({
    queryKey: ['assets', 'timeline', 'buckets', timeZone],
    queryFn: () => api.timeline.buckets({ ...filterQuery(filterRef.current), tz: zone }),
    enabled: !newest.isPending,
  });
  const list = useMemo(() => buckets.data?.buckets ?? newest.data ?? [], [buckets.data, newest.data]);
  const byMonth = useMemo(() => new Map(list.map((b) => [b.month, b])), [list]);
  const [wanted, setWanted] = useState<ReadonlySet<string>>(() => new Set());

  // Months asked for but not started are dropped when other months are asked for: after a flick or
  // a scrubber jump, the months flown past must not queue ahead of the one the user stopped at.
  // Their requests are aborted (react-query cancels a query nobody observes any more).
  const want = useCallback(
    (months: readonly string[]) => {
      setWanted((prev) => {
        const asked = new Set(months);
        const kept = [...prev].filter(
          (m) => asked.has(m) || client.getQueryData(monthKey(timeZone, m)) !== undefined,
        );
        const next = new Set([...kept, ...months]);
        const same = next.size === prev.size && [...next].every((m) => prev.has(m));
        return same ? prev : next;
      });
    },
    [client, timeZone],
  );

  const wantedBuckets = useMemo(
    () => [...wanted].map((m) => byMonth.get(m)).filter((b): b is MonthBucket => b !== undefined),
    [wanted, byMonth],
  );
  const months = useQueries({
    queries: wantedBuckets.map((b) => ({
      // Not keyed by the count: a library change refetches (invalidation) and keeps the month shown meanwhile.
      queryKey: monthKey(timeZone, b.month),
      queryFn: ({ signal }: { signal: AbortSignal }) => {
        const key = monthKey(timeZone, b.month);
        const prior = client.getQueryData<MonthData>(key);
        // A month shown in part goes on from where it stopped, page by page; a refetch starts over.
        if (prior?.complete) return fetchMonth(b, undefined, undefined, signal, filterRef.current);
        return fetchMonth(b, prior, (data) => client.setQueryData(key, data), signal, filterRef.current);
      },
      staleTime: (q: Query<MonthData>) => (q.state.data?.complete ? 60_000 : 0),
    })),
    combine: combineMonths,
  });

  // Each month is decorated once per stack map (a new month must not re-decorate the others).
  const cache = useRef<{ stacks: unknown; months: WeakMap<MonthData, TimelineAsset[]> } | null>(null);
  const loaded = useMemo(() => {
    const stackOf = stacks.data;
    let current = cache.current;
    if (!current || current.stacks !== stackOf) {
      current = { stacks: stackOf, months: new WeakMap() };
      cache.current = current;
    }
    const decorate = (a: GridAsset): TimelineAsset => {
      const stack = stackOf?.get(a.id);
      return {
        ...a,
        day: localDay(a.takenAt),
        groupKey: stack ? `v:${stack.stackId}` : a.burstId ? `b:${a.burstId}` : null,
        isPrimary: stack?.primary ?? false,
        groupKind: stack ? 'versions' : a.burstId ? 'burst' : null,
      };
    };
    const out = new Map<string, TimelineAsset[]>();
    const incomplete = new Set<string>();
    wantedBuckets.forEach((b, i) => {
      const data = months.data[i];
      if (!data) return;
      let done = current.months.get(data);
      if (!done) {
        done = data.items.map(decorate);
        current.months.set(data, done);
      }
      out.set(b.month, done);
      if (!data.complete) incomplete.add(b.month);
    });
    return { byMonth: out, incomplete };
  }, [wantedBuckets, months.data, stacks.data]);

  return {
    buckets,
    /** Assets in the library; null until the counts arrive. */
    totalAssets: buckets.data ? list.reduce((sum, b) => sum + b.assets, 0) : null,
    list,
    loaded: loaded.byMonth,
    incomplete: loaded.incomplete,
    want,
    stacks: stacks.data,
    monthError: months.error,
    loadingMonths: months.fetching,
    timeZone: zone,
  };
}
