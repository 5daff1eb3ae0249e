import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Asset, Page } from '../src/api/types';
import { fetchMonth, monthRange, monthsOfPage } from '../src/timeline/use-timeline-assets';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** An asset taken at local noon of the given day (the browser's zone, as the timeline reads it). */
const asset = (id: string, y: number, m: number, d: number) =>
  ({ id, capturedAt: new Date(y, m - 1, d, 12).toISOString(), fileModifiedAt: '' }) as unknown as Asset;

describe('months from pages of the timeline', () => {
  it('splits the newest page into months: the ones it went past are complete, the last goes on', () => {
    const page: Page<Asset> = {
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
    expect(first.searchParams.get('before')).toBe(monthRange('2024-05').end.toISOString());
    expect(new URL(urls[1] ?? '', 'http://x').searchParams.get('cursor')).toBe('c1');
  });
});
