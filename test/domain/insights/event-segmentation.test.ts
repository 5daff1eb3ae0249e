import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVENT_SETTINGS,
  formatDateRange,
  segmentEvents,
  splitThreshold,
} from '../../../src/domain/insights/event-segmentation.js';
import { NOW, at, subject } from './subjects.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('event segmentation', () => {
  it('splits a timeline at large gaps and keeps a multi-day trip together', () => {
    // A day out (4 photos over 2 h), then a 3-day trip with photos every few hours, 3 weeks later.
    const dayOut = [0, 0.5, 1, 2].map((h, i) => subject(`/p/a${i}.jpg`, { captureLocal: at(h * HOUR) }));
    const trip = [0, 5, 11, 20, 28, 40, 52, 60].map((h, i) =>
      subject(`/p/t${i}.jpg`, { captureLocal: at(21 * DAY + h * HOUR) }),
    );
    const events = segmentEvents([...trip, ...dayOut], DEFAULT_EVENT_SETTINGS, NOW);
    expect(events.map((e) => e.assetIds.length)).toEqual([4, 8]);
  });

  it('adapts the split threshold to the timeline, within its floor and ceiling', () => {
    const s = DEFAULT_EVENT_SETTINGS;
    expect(splitThreshold([0, 1000, 2000, 3000], s)).toBe(s.minGapMs);
    expect(splitThreshold([0, 30 * DAY * 1000, 60 * DAY * 1000], s)).toBe(s.maxGapMs);
    const hours = [0, 1, 2, 3].map((h) => h * 3_600_000);
    expect(splitThreshold(hours, { ...s, gapFactor: 4 })).toBe(4 * 3_600_000);
  });

  it('leaves photos with a 1970, 2099 or missing clock out of every event', () => {
    const good = [0, 60, 120].map((sec, i) => subject(`/p/g${i}.jpg`, { captureLocal: at(sec) }));
    const bad = [
      subject('/p/reset.jpg', { captureLocal: '1970-01-01T00:00:00.000' }),
      subject('/p/future.jpg', { captureLocal: '2099-01-01T00:00:00.000' }),
      subject('/p/none.jpg', { captureLocal: null }),
    ];
    const events = segmentEvents([...good, ...bad], DEFAULT_EVENT_SETTINGS, NOW);
    expect(events).toHaveLength(1);
    expect(events[0]?.assetIds.sort()).toEqual(good.map((g) => g.id).sort());
  });

  it('formats date ranges compactly', () => {
    const d = (y: number, m: number, day: number) => Date.UTC(y, m - 1, day, 12);
    expect(formatDateRange(d(2025, 6, 3), d(2025, 6, 3))).toBe('3 Jun 2025');
    expect(formatDateRange(d(2025, 6, 3), d(2025, 6, 9))).toBe('3–9 Jun 2025');
    expect(formatDateRange(d(2025, 6, 28), d(2025, 7, 2))).toBe('28 Jun – 2 Jul 2025');
    expect(formatDateRange(d(2024, 12, 30), d(2025, 1, 2))).toBe('30 Dec 2024 – 2 Jan 2025');
  });
});
