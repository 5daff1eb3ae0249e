import { describe, expect, it } from 'vitest';
import { costliestFirst, expectedAnalysisCost } from '../../src/domain/analysis-order.js';

describe('analysis order (costliest first)', () => {
  it('puts HEIC, videos, lossless and RAW formats before bigger JPEGs', () => {
    const mb = 1024 * 1024;
    const files = [
      { path: '/p/a.jpg', sizeBytes: 4 * mb },
      { path: '/p/b.HEIC', sizeBytes: 1 * mb },
      { path: '/p/c.png', sizeBytes: 2 * mb },
      { path: '/p/d.MOV', sizeBytes: 50 * mb },
      { path: '/p/e.jpg', sizeBytes: 8 * mb },
      { path: '/p/f.dng', sizeBytes: 1 * mb },
    ];
    expect(costliestFirst(files).map((f) => f.path)).toEqual([
      '/p/b.HEIC',
      '/p/d.MOV',
      '/p/c.png',
      '/p/f.dng',
      '/p/e.jpg',
      '/p/a.jpg',
    ]);
  });

  it('keeps the given order for equal costs and treats unknown names like JPEG', () => {
    const files = [
      { path: '/p/x.bin', sizeBytes: 1000 },
      { path: '/p/y.jpg', sizeBytes: 1000 },
      { path: '/p/z', sizeBytes: 1000 },
    ];
    expect(costliestFirst(files).map((f) => f.path)).toEqual(['/p/x.bin', '/p/y.jpg', '/p/z']);
    expect(expectedAnalysisCost('/p/x.bin', 1000)).toBe(expectedAnalysisCost('/p/y.jpg', 1000));
  });
});
