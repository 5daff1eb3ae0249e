import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearch } from 'wouter';
import { api } from '../api/client';

export type DuplicateSort = 'newest' | 'space' | 'similarity';

export function useListParams(): { sort: DuplicateSort; kind: string | undefined; search: string } {
  const search = useSearch();
  const params = new URLSearchParams(search);
  const s = params.get('sort');
  const sort: DuplicateSort = s === 'newest' || s === 'similarity' ? s : 'space';
  return { sort, kind: params.get('kind') ?? undefined, search };
}

/** Open duplicate groups in the chosen order; shared by the list and the compare view. */
export function useDuplicateList(sort: DuplicateSort, kind: string | undefined) {
  return useInfiniteQuery({
    queryKey: ['duplicates', 'list', sort, kind],
    queryFn: ({ pageParam }) => api.duplicates.list({ sort, kind, cursor: pageParam, limit: 100 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
