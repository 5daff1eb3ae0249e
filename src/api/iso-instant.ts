/**
 * `new Date(ms).toISOString()`, several times faster for the instants of a list page: a page's
 * rows are close in time, so their days repeat and each day's `YYYY-MM-DDT` is computed once; the
 * time of day is assembled from precomputed digits. `toISOString` was a tenth of the CPU of a
 * freshly rendered grid page (100 instants).
 */
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on (and before 1970) `toISOString` writes other widths. */
const FAST_UNTIL_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `YYYY-MM-DDT` by day number; emptied when full (a few thousand days of recent pages). */
const dayPrefixes = new Map<number, string>();
const MAX_DAYS = 4096;

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= MAX_DAYS) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/** ISO 8601 UTC text of an epoch-milliseconds instant, exactly as `Date#toISOString` writes it. */
export function isoOfEpochMs(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= FAST_UNTIL_MS) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const seconds = t % 60;
  t = (t - seconds) / 60;
  const minutes = t % 60;
  const hours = (t - minutes) / 60;
  return `${dayPrefix(day)}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[milli]}Z`;
}
