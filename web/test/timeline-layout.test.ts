import { describe, expect, it } from 'vitest';
import {
  columnsFor,
  groupBadge,
  layoutTimeline,
  localDay,
  type TimelineItem,
} from '../src/timeline/timeline-layout';

const item = (id: string, day: string, groupKey: string | null = null, isPrimary = false): TimelineItem => ({
  id,
  day,
  groupKey,
  isPrimary,
});

describe('timeline layout', () => {
  it('puts a header before each day and wraps its cards into rows of the column count', () => {
    const items = [...['a', 'b', 'c', 'd', 'e'].map((id) => item(id, '2025-06-03')), item('f', '2025-05-30')];
    const { rows, cardCount } = layoutTimeline(items, 2);
    expect(
      rows.map((r) =>
        r.kind === 'header' ? `H:${r.day}:${r.count}` : r.cards.map((c) => c.item.id).join(''),
      ),
    ).toEqual(['H:2025-06-03:5', 'ab', 'cd', 'e', 'H:2025-05-30:1', 'f']);
    expect(cardCount).toBe(6);
  });

  it('collapses a group into one card led by its primary', () => {
    const items = [
      item('raw', '2025-06-03', 'v:1'),
      item('x', '2025-06-03'),
      item('jpg', '2025-06-03', 'v:1', true),
      item('edit', '2025-06-03', 'v:1'),
    ];
    const cards = layoutTimeline(items, 4).rows.flatMap((r) => (r.kind === 'cards' ? r.cards : []));
    expect(cards.map((c) => [c.item.id, c.members.map((m) => m.id)])).toEqual([
      ['jpg', ['jpg', 'raw', 'edit']],
      ['x', ['x']],
    ]);
    expect(groupBadge(3, 'versions')).toBe('3 versions');
    expect(groupBadge(1, 'versions')).toBeNull();
  });

  it('indexes the first row of each month for the scrubber', () => {
    const items = [item('a', '2025-06-03'), item('b', '2025-06-01'), item('c', '2025-04-20')];
    expect(layoutTimeline(items, 3).months).toEqual([
      { month: '2025-06', rowIndex: 0, count: 2 },
      { month: '2025-04', rowIndex: 4, count: 1 },
    ]);
  });

  it('lays out 100,000 assets into a bounded number of rows per day', () => {
    const items = Array.from({ length: 100_000 }, (_, i) =>
      item(String(i), `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`),
    );
    items.sort((a, b) => b.day.localeCompare(a.day));
    const layout = layoutTimeline(items, 8);
    expect(layout.cardCount).toBe(100_000);
    expect(layout.rows.filter((r) => r.kind === 'header')).toHaveLength(28);
    expect(layout.rows.every((r) => r.kind === 'header' || r.cards.length <= 8)).toBe(true);
  });

  it('computes columns and local days', () => {
    expect(columnsFor(1000, 160, 4)).toBe(6);
    expect(columnsFor(100, 160, 4)).toBe(1);
    expect(localDay('not a date')).toBe('0000-00-00');
    expect(localDay(new Date(2025, 0, 9, 23, 30).toISOString())).toBe('2025-01-09');
  });
});
