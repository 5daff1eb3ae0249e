import { describe, expect, it } from 'vitest';
import {
  anchoredScrollTop,
  daysInMonth,
  estimateMonthHeight,
  layoutBuckets,
  monthIndexAt,
  unloadedMonthsIn,
} from '../src/timeline/bucket-layout';
import type { TimelineItem } from '../src/timeline/timeline-layout';

const metrics = { headerHeight: 40, cardRowHeight: 100 };
const bucket = (month: string, cards: number, assets = cards) => ({ month, cards, assets });
const item = (id: string, day: string, groupKey: string | null = null): TimelineItem => ({
  id,
  day,
  groupKey,
});

describe('timeline layout from month buckets', () => {
  it('knows the length of every month', () => {
    expect(['2024-02', '2023-02', '2024-04', '2024-12'].map(daysInMonth)).toEqual([29, 28, 30, 31]);
  });

  it('estimates a month as the days its cards likely cover, each a header and rows of cards', () => {
    // One photo: one day, one header, one row.
    expect(estimateMonthHeight(1, '2024-06', 4, metrics)).toBe(140);
    // Thousands of photos cover every day of June: 30 headers, each with ceil(100 / 4) rows.
    expect(estimateMonthHeight(3000, '2024-06', 4, metrics)).toBe(30 * (40 + 25 * 100));
    // More columns, fewer rows; nothing for an empty month.
    expect(estimateMonthHeight(3000, '2024-06', 10, metrics)).toBeLessThan(
      estimateMonthHeight(3000, '2024-06', 4, metrics),
    );
    expect(estimateMonthHeight(0, '2024-06', 4, metrics)).toBe(0);
  });

  it('lays out the whole range up front: placeholders for months not loaded, total height known', () => {
    const buckets = [bucket('2024-06', 3000), bucket('2024-05', 1), bucket('2019-01', 7)];
    const layout = layoutBuckets(buckets, new Map(), 4, metrics);
    expect(layout.rows.map((r) => r.kind)).toEqual(['placeholder', 'placeholder', 'placeholder']);
    const heights = buckets.map((b) => estimateMonthHeight(b.cards, b.month, 4, metrics));
    expect(layout.months.map((m) => [m.month, m.top, m.height, m.loaded])).toEqual([
      ['2024-06', 0, heights[0], false],
      ['2024-05', heights[0], heights[1], false],
      ['2019-01', (heights[0] ?? 0) + (heights[1] ?? 0), heights[2], false],
    ]);
    expect(layout.totalHeight).toBe(heights.reduce((s, h) => s + h, 0));
    expect(layout.rowTops.at(-1)).toBe(layout.totalHeight);
    expect(layout.cards).toEqual([]);
  });

  it('replaces a loaded month by its day headers and card rows, stacks collapsed', () => {
    const may = [
      item('a', '2024-05-09'),
      item('b', '2024-05-09', 'v:1'),
      item('c', '2024-05-09', 'v:1'),
      item('d', '2024-05-02'),
    ];
    const layout = layoutBuckets(
      [bucket('2024-06', 10), bucket('2024-05', 3, 4), bucket('2024-04', 2)],
      new Map([['2024-05', may]]),
      4,
      metrics,
    );
    expect(layout.rows.map((r) => r.kind)).toEqual([
      'placeholder',
      'header',
      'cards',
      'header',
      'cards',
      'placeholder',
    ]);
    const mayMonth = layout.months[1];
    expect(mayMonth).toMatchObject({ month: '2024-05', loaded: true, rowIndex: 1, height: 2 * 40 + 2 * 100 });
    expect(layout.months[2]?.top).toBe((mayMonth?.top ?? 0) + (mayMonth?.height ?? 0));
    expect(layout.cards.map((c) => c.item.id)).toEqual(['a', 'b', 'd']);
    expect(layout.rows.map((_, i) => layout.rowTops[i + 1]! - layout.rowTops[i]!)).toEqual([
      layout.months[0]?.height,
      40,
      100,
      40,
      100,
      layout.months[2]?.height,
    ]);
  });

  it('finds the month at a scroll offset and the unloaded months near the viewport', () => {
    const buckets = Array.from({ length: 24 }, (_, i) =>
      bucket(`2022-${String(12 - (i % 12)).padStart(2, '0')}`, 8),
    );
    const distinct = buckets.map((b, i) => ({
      ...b,
      month: `${2023 - Math.floor(i / 12)}-${b.month.slice(5)}`,
    }));
    const layout = layoutBuckets(distinct, new Map(), 4, metrics);
    const third = layout.months[2]!;
    expect(monthIndexAt(layout.months, third.top)).toBe(2);
    expect(monthIndexAt(layout.months, third.top + third.height - 1)).toBe(2);
    expect(monthIndexAt(layout.months, 0)).toBe(0);
    expect(monthIndexAt(layout.months, layout.totalHeight + 1000)).toBe(23);
    const near = unloadedMonthsIn(layout.months, third.top, third.top + 1);
    expect(near).toEqual([third.month]);
    const band = unloadedMonthsIn(layout.months, third.top - 1, layout.months[5]!.top + 1);
    expect(band).toEqual(layout.months.slice(1, 6).map((m) => m.month));
  });

  it('keeps the month under the eye in place when a month above it loads', () => {
    const buckets = [bucket('2024-06', 400), bucket('2024-05', 400), bucket('2024-04', 400)];
    const before = layoutBuckets(buckets, new Map(), 4, metrics);
    const june = Array.from({ length: 5 }, (_, i) => item(`j${i}`, '2024-06-01'));
    const after = layoutBuckets(buckets, new Map([['2024-06', june]]), 4, metrics);
    expect(after.months[1]!.top).not.toBe(before.months[1]!.top);
    const scrolled = before.months[1]!.top + 250;
    expect(anchoredScrollTop(before, after, scrolled)).toBe(after.months[1]!.top + 250);
    // At the very top nothing moves.
    expect(anchoredScrollTop(before, after, 0)).toBe(0);
  });
});

describe('a month arriving page by page', () => {
  it('shows what arrived and keeps a placeholder for the rest of the month', () => {
    const june = Array.from({ length: 6 }, (_, i) => item(`j${i}`, '2024-06-30'));
    const layout = layoutBuckets(
      [bucket('2024-06', 20), bucket('2024-05', 3)],
      new Map([['2024-06', june]]),
      4,
      metrics,
      new Set(['2024-06']),
    );
    expect(layout.rows.map((r) => r.kind)).toEqual([
      'header',
      'cards',
      'cards',
      'placeholder',
      'placeholder',
    ]);
    const rest = layout.rows[3];
    expect(rest).toMatchObject({ kind: 'placeholder', month: '2024-06', cards: 14 });
    expect(layout.months[0]).toMatchObject({
      loaded: false,
      height: 40 + 2 * 100 + estimateMonthHeight(14, '2024-06', 4, metrics),
    });
    // Still listed as needing its assets, so it goes on loading.
    expect(unloadedMonthsIn(layout.months, 0, 1)).toEqual(['2024-06']);
  });
});
