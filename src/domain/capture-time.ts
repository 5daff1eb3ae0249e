/**
 * Capture-time parsing, kept pure so the rules are easy to test:
 * - EXIF wall clocks look like `YYYY:MM:DD HH:MM:SS` (XMP/QuickTime use `YYYY-MM-DDTHH:MM:SS[.fff][±HH:MM|Z]`).
 * - Sub-seconds come from a separate tag (SubSecTimeOriginal): its digits are a decimal fraction, so
 *   "05" means 50 ms and "5" means 500 ms. Only milliseconds are kept.
 * - The offset comes from OffsetTimeOriginal (`+02:00`); without it the wall clock is read as UTC and
 *   `captureOffsetMinutes` stays null.
 * - Absurd dates are rejected (all three fields null): anything before 1990-01-01T00:00Z (camera clocks
 *   reset to 1970/1980/2000-01-01 are common, and digital photos from before 1990 are vanishingly rare),
 *   and anything more than one day after `now` (wrong clocks; one day of slack covers time zones).
 */

export interface CaptureTime {
  /** `YYYY-MM-DDTHH:mm:ss.SSS`, the wall clock as written by the camera. */
  captureLocal: string | null;
  captureOffsetMinutes: number | null;
  capturedAt: Date | null;
}

export const EARLIEST_PLAUSIBLE_CAPTURE = Date.UTC(1990, 0, 1);
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;
const MAX_OFFSET_MINUTES = 14 * 60;

const NO_CAPTURE_TIME: CaptureTime = { captureLocal: null, captureOffsetMinutes: null, capturedAt: null };

export interface CaptureTimeInput {
  /** EXIF `YYYY:MM:DD HH:MM:SS` or ISO-like `YYYY-MM-DDTHH:MM:SS[.fff][offset]`. */
  dateTime: string | null | undefined;
  /** Digits of SubSecTimeOriginal; ignored when `dateTime` carries its own fraction. */
  subSeconds?: string | number | null | undefined;
  /** OffsetTimeOriginal (`+02:00`, `-0530`, `Z`); ignored when `dateTime` carries its own offset. */
  offset?: string | null | undefined;
}

const DATE_TIME =
  /^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

export function parseCaptureTime(input: CaptureTimeInput, now: Date): CaptureTime {
  const raw = input.dateTime;
  if (raw === null || raw === undefined) return NO_CAPTURE_TIME;
  const m = DATE_TIME.exec(raw.replace(/\0+$/, ''));
  if (!m) return NO_CAPTURE_TIME;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!isValidWallClock(year, month, day, hour, minute, second)) return NO_CAPTURE_TIME;

  const millis = fractionToMillis(m[7] ?? subSecondDigits(input.subSeconds));
  const offsetText = m[8] ?? input.offset ?? null;
  const offsetMinutes = offsetText === null ? null : parseOffsetMinutes(offsetText);

  const wallClockAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const instant = wallClockAsUtc - (offsetMinutes ?? 0) * 60_000;
  if (instant < EARLIEST_PLAUSIBLE_CAPTURE || instant > now.getTime() + FUTURE_SLACK_MS)
    return NO_CAPTURE_TIME;

  return {
    captureLocal: formatWallClock(year, month, day, hour, minute, second, millis),
    captureOffsetMinutes: offsetMinutes,
    capturedAt: new Date(instant),
  };
}

/** `+02:00` → 120, `-0530` → -330, `Z` → 0; null for anything else (including blanks). */
export function parseOffsetMinutes(text: string): number | null {
  const t = text.trim();
  if (/^z$/i.test(t)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(t);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) >= 60 || minutes > MAX_OFFSET_MINUTES) return null;
  return m[1] === '-' ? -minutes : minutes;
}

function subSecondDigits(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const digits = String(value).trim();
  return /^\d+$/.test(digits) ? digits : undefined;
}

function fractionToMillis(digits: string | undefined): number {
  if (digits === undefined || digits.length === 0) return 0;
  return Number(digits.slice(0, 3).padEnd(3, '0'));
}

function isValidWallClock(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

function formatWallClock(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}.${String(ms).padStart(3, '0')}`;
}
