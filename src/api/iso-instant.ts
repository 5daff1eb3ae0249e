/**
 * `new Date(ms).toISOString()`, four times faster for the instants of a timeline page: a page's
 * rows are in time order, so most share the previous row's day, whose `YYYY-MM-DDT` is kept; the
 * time of day is assembled from precomputed digits. `toISOString` was a tenth of the CPU of a
 * freshly rendered grid page (100 instants).
 */
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on (and before 1970) `toISOString` writes other widths. */
const FAST_UNTIL_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let lastDay = Number.NaN;
let lastDayPrefix = '';

/** ISO 8601 UTC text of an epoch-milliseconds instant, exactly as `Date#toISOString` writes it. */
export function isoOfEpochMs(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= FAST_UNTIL_MS) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const seconds = t % 60;
  t = (t - seconds) / 60;
  const minutes = t % 60;
  const hours = (t - minutes) / 60;
  return `${lastDayPrefix}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[milli]}Z`;
}
