/**
 * The whole timeline laid out from per-month counts (GET /api/timeline/buckets) before its assets
 * are loaded, like Immich: a month not loaded yet is one placeholder row of estimated height, a
 * loaded month is its real day headers and card rows. So the total scroll height is known up
 * front, the scrubber can jump to any month, and only months near the viewport are fetched.
 * Pure: heights follow from the counts, the column count and two row heights.
 */
import type { MonthBucket } from '../api/types';
import { layoutTimeline, type Card, type TimelineItem, type TimelineRow } from './timeline-layout';

export interface RowMetrics {
  headerHeight: number;
  /** A row of cards including the gap below it. */
  cardRowHeight: number;
}

export type PlaceholderRow = {
  kind: 'placeholder';
  month: string;
  cards: number;
  height: number;
  key: string;
};
export type BucketRow<T> = TimelineRow<T> | PlaceholderRow;

export interface MonthSpan {
  month: string;
  cards: number;
  assets: number;
  loaded: boolean;
  /** Index of the month's first row. */
  rowIndex: number;
  top: number;
  height: number;
}

export interface BucketLayout<T> {
  rows: BucketRow<T>[];
  /** Top of each row; `rowTops[rows.length]` is the total height. */
  rowTops: number[];
  months: MonthSpan[];
  totalHeight: number;
  /** Every card of the loaded months, newest first (the viewer's previous/next order). */
  cards: Card<T>[];
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return 30;
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Height of a month before its assets are loaded: its cards spread over the number of distinct
 * days `cards` random days of the month would cover, each day a header and its card rows.
 */
export function estimateMonthHeight(cards: number, month: string, columns: number, m: RowMetrics): number {
  if (cards <= 0) return 0;
  const cols = Math.max(1, Math.floor(columns));
  const days = daysInMonth(month);
  const activeDays = Math.max(1, Math.min(cards, days * (1 - Math.pow(1 - 1 / days, cards))));
  const rowsPerDay = Math.ceil(cards / activeDays / cols);
  return Math.round(activeDays * (m.headerHeight + rowsPerDay * m.cardRowHeight));
}

export function rowHeight<T>(row: BucketRow<T>, m: RowMetrics): number {
  if (row.kind === 'placeholder') return row.height;
  return row.kind === 'header' ? m.headerHeight : m.cardRowHeight;
}

/**
 * `loaded` holds the months whose assets arrived; those in `incomplete` hold only their newest
 * part so far (a big month arrives page by page), and the rest of them stays a placeholder.
 */
export function layoutBuckets<T extends TimelineItem>(
  buckets: readonly MonthBucket[],
  loaded: ReadonlyMap<string, readonly T[]>,
  columns: number,
  metrics: RowMetrics,
  incomplete: ReadonlySet<string> = new Set(),
): BucketLayout<T> {
  const rows: BucketRow<T>[] = [];
  const rowTops: number[] = [];
  const months: MonthSpan[] = [];
  const cards: Card<T>[] = [];
  let top = 0;
  const push = (row: BucketRow<T>) => {
    rows.push(row);
    rowTops.push(top);
    top += rowHeight(row, metrics);
  };
  for (const b of buckets) {
    const items = loaded.get(b.month);
    const partial = items !== undefined && incomplete.has(b.month);
    const span: MonthSpan = {
      ...b,
      loaded: items !== undefined && !partial,
      rowIndex: rows.length,
      top,
      height: 0,
    };
    let remaining = b.cards;
    if (items) {
      const laid = layoutTimeline(items, columns);
      for (const row of laid.rows) {
        push(row);
        if (row.kind === 'cards') cards.push(...row.cards);
      }
      remaining = partial ? Math.max(0, b.cards - laid.cardCount) : 0;
    }
    const height = estimateMonthHeight(remaining, b.month, columns, metrics);
    if (height > 0)
      push({ kind: 'placeholder', month: b.month, cards: remaining, height, key: `p:${b.month}` });
    span.height = top - span.top;
    months.push(span);
  }
  rowTops.push(top);
  return { rows, rowTops, months, totalHeight: top, cards };
}

/** Index of the month at scroll offset `y` (the last one starting at or above it). */
export function monthIndexAt(months: readonly MonthSpan[], y: number): number {
  let lo = 0;
  let hi = months.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((months[mid] as MonthSpan).top <= y) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Months overlapping the band [from, to) that are not loaded yet, nearest the band's top first. */
export function unloadedMonthsIn(months: readonly MonthSpan[], from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = monthIndexAt(months, Math.max(0, from)); i < months.length; i++) {
    const m = months[i] as MonthSpan;
    if (m.top >= to) break;
    if (!m.loaded && m.top + m.height > from) out.push(m.month);
  }
  return out;
}

/**
 * Where to scroll after a re-layout so the same thing stays under the eye: the month that was at
 * the top keeps its place and the offset into it, even when months above it changed height.
 */
export function anchoredScrollTop<T>(
  before: BucketLayout<T>,
  after: BucketLayout<T>,
  scrollTop: number,
): number {
  if (before.months.length === 0 || scrollTop <= 0) return scrollTop;
  const was = before.months[monthIndexAt(before.months, scrollTop)] as MonthSpan;
  const now = after.months.find((m) => m.month === was.month);
  if (!now) return Math.min(scrollTop, Math.max(0, after.totalHeight));
  const into = scrollTop - was.top;
  return now.top + Math.min(into, Math.max(0, now.height - 1));
}
