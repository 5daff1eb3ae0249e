import { describe, expect, it } from 'vitest';
import { isoOfEpochMs } from '../../src/api/iso-instant.js';

describe('isoOfEpochMs', () => {
  it('writes exactly what Date#toISOString writes', () => {
    const edges = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      951_782_400_000, // 2000-02-29
      1_600_000_000_123,
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    ];
    // Deterministic spread over the whole fast range, in and out of time order.
    const spread = Array.from({ length: 20_000 }, (_, i) =>
      Math.floor(((i * 0.618_033_988_7) % 1) * 253_402_300_800_000),
    );
    for (const ms of [...edges, ...spread, ...edges.reverse()])
      expect(isoOfEpochMs(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('leaves instants outside 1970–9999 and fractions of a millisecond to Date', () => {
    for (const ms of [-1, -86_400_001, 253_402_300_800_000, 1_600_000_000_000.5])
      expect(isoOfEpochMs(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoOfEpochMs(Number.NaN)).toThrow(RangeError);
  });
});
