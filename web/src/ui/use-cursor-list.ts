import { useInfiniteQuery } from '@tanstack/react-query';
import type { Page } from '../api/types';

/** A cursor-paginated list: items of every loaded page, plus "load more". */
export function useCursorList<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
) {
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  return { ...q, items: q.data?.pages.flatMap((p) => p.items) ?? [] };
}
