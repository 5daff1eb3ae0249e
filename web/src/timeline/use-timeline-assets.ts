import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { api } from '../api/client';
import type { Asset, Page } from '../api/types';
import { localDay, type TimelineItem } from './timeline-layout';

export type TimelineAsset = Asset & TimelineItem & { groupKind: 'versions' | 'burst' | null };

export const TIMELINE_PAGE = 500;

/** Version stacks (from the insights API when the server has it): asset id → stack. */
function useStacks() {
  return useQuery({
    queryKey: ['versions', 'all'],
    queryFn: async () => {
      const byAsset = new Map<string, { stackId: string; primary: boolean }>();
      const page = await api.versions.list({ limit: 500 });
      for (const s of page.items)
        for (const m of s.members) byAsset.set(m.asset.id, { stackId: s.id, primary: m.isPrimary });
      return byAsset;
    },
    retry: false,
    staleTime: 60_000,
  });
}

/** Newest-first pages of assets, fetched as the grid nears the end of what is loaded. */
export function useTimelineAssets() {
  const stacks = useStacks();
  const query = useInfiniteQuery({
    queryKey: ['assets', 'timeline'],
    queryFn: ({ pageParam }) => api.assets.list({ cursor: pageParam, limit: TIMELINE_PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  // Each page is decorated once (a new page must not re-decorate the thousands already loaded).
  const cache = useRef<{ stacks: unknown; pages: WeakMap<Page<Asset>, TimelineAsset[]> } | null>(null);
  const items = useMemo<TimelineAsset[]>(() => {
    const stackOf = stacks.data;
    let current = cache.current;
    if (!current || current.stacks !== stackOf) {
      current = { stacks: stackOf, pages: new WeakMap() };
      cache.current = current;
    }
    const decorated = current.pages;
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
    const out: TimelineAsset[] = [];
    for (const page of query.data?.pages ?? []) {
      let done = decorated.get(page);
      if (!done) {
        done = page.items.map(decorate);
        decorated.set(page, done);
      }
      for (const a of done) out.push(a);
    }
    return out;
  }, [query.data, stacks.data]);
  return { query, items, stacks: stacks.data };
}
