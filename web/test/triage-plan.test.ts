import { describe, expect, it } from 'vitest';
import { autoFixPlan } from '../src/triage/triage-plan';

describe('auto-fix all green', () => {
  it('states exactly what will happen: only green categories that have items', () => {
    const plan = autoFixPlan([
      {
        key: 'exact-duplicates',
        itemCount: 12,
        bytesSaved: 48_000_000,
        confidence: 'green',
        recommendation: 'keep one copy of each',
      },
      {
        key: 'bursts',
        itemCount: 4,
        bytesSaved: 9_000_000,
        confidence: 'yellow',
        recommendation: 'keep the sharpest frame',
      },
      {
        key: 'versions',
        itemCount: 0,
        bytesSaved: 0,
        confidence: 'green',
        recommendation: 'stack RAW and JPEG',
      },
      {
        key: 'low-quality',
        itemCount: 1,
        bytesSaved: 0,
        confidence: 'green',
        recommendation: 'move to trash',
      },
    ]);
    expect(plan.categories.map((c) => c.key)).toEqual(['exact-duplicates', 'low-quality']);
    expect(plan.lines).toEqual([
      'Exact duplicates: 12 items — keep one copy of each (frees 48.0 MB)',
      'Low quality: 1 item — move to trash',
    ]);
    expect(plan.itemCount).toBe(13);
    expect(plan.bytesSaved).toBe(48_000_000);
  });
});
