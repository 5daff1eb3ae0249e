/**
 * Turns the newest-first asset list into the rows the virtualised grid renders: a header row per
 * day, then rows of `columns` cards. Assets of one group (a version stack or a camera burst) in
 * the same day become one card with a count. Pure and linear, so 100,000 assets lay out in a
 * few milliseconds and only the visible rows reach the DOM.
 */

export interface TimelineItem {
  id: string;
  /** Local capture day `YYYY-MM-DD` (file time when the capture time is unknown). */
  day: string;
  /** Assets sharing a key collapse into one card; null = its own card. */
  groupKey: string | null;
  /** The member that leads its group's card (a stack's primary version). */
  isPrimary?: boolean;
}

export interface Card<T> {
  /** The asset shown (the group's first, i.e. newest or primary). */
  item: T;
  /** Every member of the card, the shown one first. */
  members: T[];
}

export type TimelineRow<T> =
  | { kind: 'header'; day: string; count: number; key: string }
  | { kind: 'cards'; day: string; cards: Card<T>[]; key: string };

export interface TimelineLayout<T> {
  rows: TimelineRow<T>[];
  /** Index of the first row of each month, for the date scrubber. */
  months: { month: string; rowIndex: number; count: number }[];
  cardCount: number;
}

export function layoutTimeline<T extends TimelineItem>(
  items: readonly T[],
  columns: number,
): TimelineLayout<T> {
  const cols = Math.max(1, Math.floor(columns));
  const rows: TimelineRow<T>[] = [];
  const months: TimelineLayout<T>['months'] = [];
  let cardCount = 0;
  let i = 0;
  while (i < items.length) {
    const day = (items[i] as T).day;
    const cards: Card<T>[] = [];
    const byGroup = new Map<string, Card<T>>();
    let count = 0;
    for (; i < items.length && (items[i] as T).day === day; i++) {
      const item = items[i] as T;
      count++;
      const existing = item.groupKey === null ? undefined : byGroup.get(item.groupKey);
      if (existing) {
        if (item.isPrimary) {
          existing.item = item;
          existing.members.unshift(item);
        } else existing.members.push(item);
        continue;
      }
      const card: Card<T> = { item, members: [item] };
      if (item.groupKey !== null) byGroup.set(item.groupKey, card);
      cards.push(card);
    }
    const month = day.slice(0, 7);
    const lastMonth = months[months.length - 1];
    if (lastMonth?.month === month) lastMonth.count += count;
    else months.push({ month, rowIndex: rows.length, count });
    rows.push({ kind: 'header', day, count, key: `h:${day}` });
    for (let c = 0; c < cards.length; c += cols)
      rows.push({ kind: 'cards', day, cards: cards.slice(c, c + cols), key: `r:${day}:${c}` });
    cardCount += cards.length;
  }
  return { rows, months, cardCount };
}

/** Local calendar day of an ISO time, `YYYY-MM-DD`. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '0000-00-00';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Number of columns that fit a width with cards of at least `minCard` px. */
export function columnsFor(width: number, minCard: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minCard + gap)));
}

/** Badge text for a grouped card, e.g. "3 versions". */
export function groupBadge(memberCount: number, kind: 'versions' | 'burst'): string | null {
  if (memberCount < 2) return null;
  return kind === 'burst' ? `${memberCount} in burst` : `${memberCount} versions`;
}
