import { useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Asset, MonthBucket } from '../api/types';
import { localDay, type TimelineItem } from './timeline-layout';

export type TimelineAsset = Asset & TimelineItem & { groupKind: 'versions' | 'burst' | null };
type StackMap = Map<string, { stackId: string; primary: boolean }>;

/** Assets per request while a month loads (the API's maximum page). */
export const TIMELINE_PAGE = 500;

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

const monthOf = (a: Asset) => localDay(a.capturedAt ?? a.fileModifiedAt).slice(0, 7);

/**
 * One month's assets, newest first: pages of GET /api/assets starting just before the next month,
 * until the page reaches an older month (or the bucket's count is reached).
 */
export async function fetchMonth(bucket: MonthBucket): Promise<Asset[]> {
  const { end } = monthRange(bucket.month);
  const out: Asset[] = [];
  let cursor: string | null = null;
  for (;;) {
    const limit = Math.max(1, Math.min(TIMELINE_PAGE, bucket.assets - out.length + 1));
    const page = await api.assets.list({ before: end.toISOString(), cursor, limit });
    let older = false;
    for (const a of page.items) {
      if (monthOf(a) === bucket.month) out.push(a);
      else if (monthOf(a) < bucket.month) older = true;
    }
    if (older || !page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/** Stable across renders while no month query changes (react-query re-runs it only then). */
function combineMonths(
  results: readonly { data?: Asset[] | undefined; error: Error | null; isFetching: boolean }[],
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
export function useTimelineAssets() {
  const timeZone = useMemo(browserTimeZone, []);
  const stacks = useStacks();
  const buckets = useQuery({
    queryKey: ['assets', 'timeline', 'buckets', timeZone],
    queryFn: () => api.timeline.buckets({ tz: timeZone }),
  });
  const list = useMemo(() => buckets.data?.buckets ?? [], [buckets.data]);
  const byMonth = useMemo(() => new Map(list.map((b) => [b.month, b])), [list]);
  const [wanted, setWanted] = useState<ReadonlySet<string>>(() => new Set());

  const want = useCallback((months: readonly string[]) => {
    setWanted((prev) => {
      const fresh = months.filter((m) => !prev.has(m));
      return fresh.length === 0 ? prev : new Set([...prev, ...fresh]);
    });
  }, []);

  const wantedBuckets = useMemo(
    () => [...wanted].map((m) => byMonth.get(m)).filter((b): b is MonthBucket => b !== undefined),
    [wanted, byMonth],
  );
  const months = useQueries({
    queries: wantedBuckets.map((b) => ({
      queryKey: ['assets', 'timeline', 'month', timeZone, b.month, b.assets],
      queryFn: () => fetchMonth(b),
      staleTime: 60_000,
    })),
    combine: combineMonths,
  });

  // Each month is decorated once per stack map (a new month must not re-decorate the others).
  const cache = useRef<{ stacks: unknown; months: WeakMap<Asset[], TimelineAsset[]> } | null>(null);
  const loaded = useMemo(() => {
    const stackOf = stacks.data;
    let current = cache.current;
    if (!current || current.stacks !== stackOf) {
      current = { stacks: stackOf, months: new WeakMap() };
      cache.current = current;
    }
    const decorate = (a: Asset): TimelineAsset => {
      const stack = stackOf?.get(a.id);
      return {
        ...a,
        day: localDay(a.capturedAt ?? a.fileModifiedAt),
        groupKey: stack ? `v:${stack.stackId}` : a.burstId ? `b:${a.burstId}` : null,
        isPrimary: stack?.primary ?? false,
        groupKind: stack ? 'versions' : a.burstId ? 'burst' : null,
      };
    };
    const out = new Map<string, TimelineAsset[]>();
    wantedBuckets.forEach((b, i) => {
      const data = months.data[i];
      if (!data) return;
      let done = current.months.get(data);
      if (!done) {
        done = data.map(decorate);
        current.months.set(data, done);
      }
      out.set(b.month, done);
    });
    return out;
  }, [wantedBuckets, months.data, stacks.data]);

  return {
    buckets,
    list,
    loaded,
    want,
    stacks: stacks.data,
    monthError: months.error,
    loadingMonths: months.fetching,
    timeZone,
  };
}
