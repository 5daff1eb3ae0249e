import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GridAsset, Page } from '../src/api/types';
import { fetchMonth, monthRange, monthsOfPage, useTimelineAssets } from '../src/timeline/use-timeline-assets';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A grid card taken at local noon of the given day (the browser's zone, as the timeline reads it). */
const asset = (id: string, y: number, m: number, d: number): GridAsset => ({
  id,
  takenAt: new Date(y, m - 1, d, 12).toISOString(),
  fileName: `${id}.jpg`,
  kind: 'jpeg',
  width: 4000,
  height: 3000,
  burstId: null,
  hasThumbnail: true,
});

describe('months from pages of the timeline', () => {
  it('splits the newest page into months: the ones it went past are complete, the last goes on', () => {
    const page: Page<GridAsset> = {
      items: [
        asset('a', 2024, 6, 3),
        asset('b', 2024, 5, 20),
        asset('c', 2024, 5, 2),
        asset('d', 2024, 3, 9),
      ],
      nextCursor: 'next',
    };
    const months = monthsOfPage(page);
    expect([...months].map(([m, d]) => [m, d.items.map((a) => a.id), d.complete, d.cursor])).toEqual([
      ['2024-06', ['a'], true, null],
      ['2024-05', ['b', 'c'], true, null],
      ['2024-03', ['d'], false, 'next'],
    ]);
    expect(monthsOfPage({ items: page.items, nextCursor: null }).get('2024-03')?.complete).toBe(true);
  });

  it('starts just before the next month and pages on until an older month shows up', async () => {
    const pages = [
      { items: [asset('a', 2024, 5, 30), asset('b', 2024, 5, 20)], nextCursor: 'c1' },
      { items: [asset('c', 2024, 5, 2), asset('d', 2024, 4, 28)], nextCursor: 'c2' },
    ];
    const urls: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      urls.push(url);
      const body = pages[urls.length - 1];
      return Promise.resolve(
        new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
      );
    });
    const seen: number[] = [];
    const may = await fetchMonth({ month: '2024-05', cards: 3, assets: 3 }, undefined, (d) =>
      seen.push(d.items.length),
    );
    expect(may.items.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(may.complete).toBe(true);
    expect(seen).toEqual([2]);
    const first = new URL(urls[0] ?? '', 'http://x');
    expect(first.pathname).toBe('/api/timeline/assets');
    expect(first.searchParams.get('before')).toBe(monthRange('2024-05').end.toISOString());
    expect(new URL(urls[1] ?? '', 'http://x').searchParams.get('cursor')).toBe('c1');
  });
});

describe('months the user has moved past', () => {
  const json = (body: unknown) =>
    Promise.resolve(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }));

  it('a month fetch stops when its signal aborts', async () => {
    const urls: string[] = [];
    const controller = new AbortController();
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      urls.push(url);
      if (init.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
      controller.abort();
      return json({ items: [asset('a', 2024, 5, 30)], nextCursor: 'more' });
    });
    await expect(
      fetchMonth({ month: '2024-05', cards: 9, assets: 9 }, undefined, undefined, controller.signal),
    ).rejects.toThrow(/abort/i);
    expect(urls).toHaveLength(2);
  });

  it('drops and aborts months asked for but not loaded when other months are asked for', async () => {
    const aborted: string[] = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      const u = new URL(url, 'http://x');
      if (u.pathname === '/api/timeline/buckets')
        return json({
          buckets: [
            { month: '2024-06', cards: 1, assets: 1 },
            { month: '2020-01', cards: 5, assets: 5 },
            { month: '2019-01', cards: 5, assets: 5 },
          ],
        });
      if (!u.searchParams.get('before')) return json({ items: [asset('n', 2024, 6, 1)], nextCursor: 'x' });
      // Month pages never answer on their own: only an abort ends them.
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => {
          aborted.push(u.searchParams.get('before') ?? '');
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) =>
      createElement(QueryClientProvider, { client }, children);
    const { result } = renderHook(() => useTimelineAssets(), { wrapper });
    await waitFor(() => expect(result.current.list).toHaveLength(3));
    act(() => result.current.want(['2020-01']));
    await waitFor(() => expect(result.current.loadingMonths).toBe(1));
    act(() => result.current.want(['2019-01']));
    await waitFor(() => expect(aborted).toEqual([monthRange('2020-01').end.toISOString()]));
    expect(result.current.loadingMonths).toBe(1);
    client.clear();
  });
});
