import { plausiblePosition, wallClockMs, type Position } from './capture-sanity.js';
import type { InsightSubject } from './insight-subject.js';

/**
 * Events (docs/INSIGHTS.md "Events"): one library's timeline, ordered by the camera wall clock,
 * split wherever the gap to the previous photo exceeds an adaptive threshold:
 *
 *   gap > clamp(gapFactor × median gap of the timeline, minGapMs, maxGapMs)
 *
 * A dense timeline (photos seconds apart) splits at the floor (default 3 h), a sparse one at up to
 * the ceiling (default 24 h), so neither a day out nor a week's trip is cut in pieces. Photos
 * without a plausible time (missing, 1970, 2099…) belong to no event.
 */

export interface EventSettings {
  gapFactor: number;
  minGapMs: number;
  maxGapMs: number;
  /** Fewest photos an event needs to be suggested. */
  minAssets: number;
}

export const DEFAULT_EVENT_SETTINGS: EventSettings = {
  gapFactor: 8,
  minGapMs: 3 * 3_600_000,
  maxGapMs: 24 * 3_600_000,
  minAssets: 3,
};

export interface TimelineEvent {
  assetIds: string[];
  /** Wall-clock ms (UTC axis) of the first and last photo. */
  startMs: number;
  endMs: number;
  /** Plausible GPS positions of its photos (for naming by place). */
  positions: Position[];
}

export function splitThreshold(sortedTimes: readonly number[], s: EventSettings): number {
  const gaps: number[] = [];
  for (let i = 1; i < sortedTimes.length; i++)
    gaps.push((sortedTimes[i] as number) - (sortedTimes[i - 1] as number));
  if (gaps.length === 0) return s.maxGapMs;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] as number;
  return Math.min(s.maxGapMs, Math.max(s.minGapMs, s.gapFactor * median));
}

export function segmentEvents(
  subjects: readonly InsightSubject[],
  settings: EventSettings,
  nowMs: number,
): TimelineEvent[] {
  const latest = nowMs + 86_400_000;
  const timed = subjects
    .map((s) => ({ s, at: wallClockMs(s.captureLocal, latest) }))
    .filter((x): x is { s: InsightSubject; at: number } => x.at !== null)
    .sort((a, b) => a.at - b.at || (a.s.id < b.s.id ? -1 : 1));
  const threshold = splitThreshold(
    timed.map((t) => t.at),
    settings,
  );
  const events: TimelineEvent[] = [];
  let run: typeof timed = [];
  const close = () => {
    if (run.length >= settings.minAssets) {
      const positions: Position[] = [];
      for (const { s } of run) {
        const p = plausiblePosition(s.gpsLatitude, s.gpsLongitude);
        if (p) positions.push(p);
      }
      events.push({
        assetIds: run.map((t) => t.s.id),
        startMs: (run[0] as { at: number }).at,
        endMs: (run.at(-1) as { at: number }).at,
        positions,
      });
    }
    run = [];
  };
  for (const t of timed) {
    const last = run.at(-1);
    if (last && t.at - last.at > threshold) close();
    run.push(t);
  }
  close();
  return events;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Jun 2025", "3–9 Jun 2025", "28 Jun – 2 Jul 2025", "30 Dec 2024 – 2 Jan 2025". */
export function formatDateRange(startMs: number, endMs: number): string {
  const a = new Date(startMs);
  const b = new Date(endMs);
  const day = (d: Date) => d.getUTCDate();
  const mon = (d: Date) => MONTHS[d.getUTCMonth()] as string;
  const yr = (d: Date) => d.getUTCFullYear();
  if (yr(a) !== yr(b)) return `${day(a)} ${mon(a)} ${yr(a)} – ${day(b)} ${mon(b)} ${yr(b)}`;
  if (a.getUTCMonth() !== b.getUTCMonth()) return `${day(a)} ${mon(a)} – ${day(b)} ${mon(b)} ${yr(b)}`;
  if (day(a) !== day(b)) return `${day(a)}–${day(b)} ${mon(b)} ${yr(b)}`;
  return `${day(a)} ${mon(a)} ${yr(a)}`;
}
