/**
 * Bad EXIF must never invent bursts, events or places. These rules decide which capture times and
 * GPS positions the insight analyses may trust (documented in docs/INSIGHTS.md):
 *
 * - Capture times are compared as the camera's wall clock (`captureLocal`), never converted with an
 *   offset: a file without a timezone and one with it, from the same clock, still compare exactly,
 *   and no timezone guess can move a photo across an event boundary.
 * - A wall clock before 1990 (cameras with a reset clock write 1970, 1980 or 2000-01-01 — the same
 *   floor as ingest's capture-time parsing, re-checked here so no stored or headless value slips
 *   through) or after `latestPlausible` (2099 and other future dates) is no time at all.
 * - GPS (0, 0) ("null island", what many apps write for "no fix") and out-of-range values are no
 *   position at all.
 */

import { EARLIEST_PLAUSIBLE_CAPTURE } from '../capture-time.js';

/** Positions closer than this to (0, 0), in degrees, are treated as "no fix". */
const NULL_ISLAND_DEGREES = 1e-4;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * The wall clock as milliseconds on a UTC axis (a sortable number, not an instant), or null when
 * missing, malformed or implausible. `latestPlausibleMs` is usually "now + 1 day".
 */
export function wallClockMs(captureLocal: string | null, latestPlausibleMs: number): number | null {
  if (!captureLocal) return null;
  const m = WALL_CLOCK.exec(captureLocal);
  if (!m) return null;
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  if (!Number.isFinite(ms) || ms < EARLIEST_PLAUSIBLE_CAPTURE || ms > latestPlausibleMs) return null;
  return ms;
}

export interface Position {
  latitude: number;
  longitude: number;
}

/** A GPS position we may cluster and name, or null for missing, out-of-range or (0, 0). */
export function plausiblePosition(latitude: number | null, longitude: number | null): Position | null {
  if (latitude === null || longitude === null) return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (Math.abs(latitude) < NULL_ISLAND_DEGREES && Math.abs(longitude) < NULL_ISLAND_DEGREES) return null;
  return { latitude, longitude };
}
