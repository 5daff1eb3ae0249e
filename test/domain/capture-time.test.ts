import { describe, expect, it } from 'vitest';
import { parseCaptureTime, parseOffsetMinutes } from '../../src/domain/capture-time.js';

const NOW = new Date('2025-06-01T12:00:00Z');

describe('parseCaptureTime', () => {
  it('combines the EXIF wall clock, sub-seconds and offset', () => {
    const t = parseCaptureTime({ dateTime: '2021:05:06 07:08:09', subSeconds: '045', offset: '+02:00' }, NOW);
    expect(t.captureLocal).toBe('2021-05-06T07:08:09.045');
    expect(t.captureOffsetMinutes).toBe(120);
    expect(t.capturedAt?.toISOString()).toBe('2021-05-06T05:08:09.045Z');
  });

  it('reads sub-second digits as a decimal fraction and keeps milliseconds only', () => {
    const at = (subSeconds: string): string | null =>
      parseCaptureTime({ dateTime: '2021:05:06 07:08:09', subSeconds }, NOW).captureLocal;
    expect(at('5')).toBe('2021-05-06T07:08:09.500');
    expect(at('05')).toBe('2021-05-06T07:08:09.050');
    expect(at('123456')).toBe('2021-05-06T07:08:09.123');
    expect(at('  ')).toBe('2021-05-06T07:08:09.000');
  });

  it('reads the wall clock as UTC when there is no offset, and says so with a null offset', () => {
    const t = parseCaptureTime({ dateTime: '2021:05:06 07:08:09' }, NOW);
    expect(t.captureOffsetMinutes).toBeNull();
    expect(t.capturedAt?.toISOString()).toBe('2021-05-06T07:08:09.000Z');
  });

  it('accepts ISO strings with their own fraction and offset (XMP, QuickTime)', () => {
    const t = parseCaptureTime({ dateTime: '2021-05-06T07:08:09.25-0530', offset: '+02:00' }, NOW);
    expect(t.captureLocal).toBe('2021-05-06T07:08:09.250');
    expect(t.captureOffsetMinutes).toBe(-330);
    expect(t.capturedAt?.toISOString()).toBe('2021-05-06T12:38:09.250Z');
    expect(parseCaptureTime({ dateTime: '2021-05-06T07:08:09Z' }, NOW).captureOffsetMinutes).toBe(0);
  });

  it('ignores an unparseable offset instead of rejecting the date', () => {
    const t = parseCaptureTime({ dateTime: '2021:05:06 07:08:09', offset: '   :  ' }, NOW);
    expect(t.captureLocal).toBe('2021-05-06T07:08:09.000');
    expect(t.captureOffsetMinutes).toBeNull();
  });

  it.each([
    ['placeholder zeros', '0000:00:00 00:00:00'],
    ['camera clock reset to 1970', '1970:01:01 00:00:00'],
    ['before 1990', '1989:12:31 23:59:59'],
    ['more than a day in the future', '2025:06:02 12:00:01'],
    ['impossible day', '2021:02:30 10:00:00'],
    ['impossible hour', '2021:02:10 24:00:00'],
    ['garbage', 'yesterday'],
  ])('rejects %s', (_label, dateTime) => {
    expect(parseCaptureTime({ dateTime }, NOW)).toEqual({
      captureLocal: null,
      captureOffsetMinutes: null,
      capturedAt: null,
    });
  });

  it('accepts dates just inside the plausible window', () => {
    expect(parseCaptureTime({ dateTime: '1990:01:01 00:00:00' }, NOW).capturedAt).not.toBeNull();
    expect(parseCaptureTime({ dateTime: '2025:06:02 11:59:59' }, NOW).capturedAt).not.toBeNull();
  });

  it('returns nulls without a date', () => {
    expect(parseCaptureTime({ dateTime: null }, NOW).capturedAt).toBeNull();
  });
});

describe('parseOffsetMinutes', () => {
  it.each([
    ['+02:00', 120],
    ['-05:30', -330],
    ['+0100', 60],
    ['Z', 0],
    ['+14:00', 840],
    ['+15:00', null],
    ['+02:75', null],
    ['', null],
    ['02:00', null],
  ])('%s → %s', (text, minutes) => {
    expect(parseOffsetMinutes(text)).toBe(minutes);
  });
});
