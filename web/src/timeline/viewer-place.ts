import type { MonthBucket } from '../api/types';
import type { Card, TimelineItem } from './timeline-layout';

/**
 * The viewer's "n / N" over the whole timeline, not the loaded cards: n counts every card of the
 * newer months (loaded or not, from the month counts) plus the card's place in its own month.
 */
export function timelinePlace<T extends TimelineItem>(
  buckets: readonly MonthBucket[],
  cards: readonly Card<T>[],
): (index: number) => number | undefined {
  const before = new Map<string, number>();
  let sum = 0;
  for (const b of buckets) {
    before.set(b.month, sum);
    sum += b.cards;
  }
  const firstOfMonth = new Map<string, number>();
  cards.forEach((c, i) => {
    const month = c.item.day.slice(0, 7);
    if (!firstOfMonth.has(month)) firstOfMonth.set(month, i);
  });
  return (index) => {
    const card = cards[index];
    if (!card) return undefined;
    const month = card.item.day.slice(0, 7);
    const start = before.get(month);
    const first = firstOfMonth.get(month);
    if (start === undefined || first === undefined) return undefined;
    return start + (index - first) + 1;
  };
}
