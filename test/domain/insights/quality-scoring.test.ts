import { describe, expect, it } from 'vitest';
import { QUALITY_THRESHOLDS, assessQuality } from '../../../src/domain/insights/quality-scoring.js';
import { goodQuality } from './subjects.js';

describe('quality scoring', () => {
  it('scores a sharp, well-exposed picture high with no label', () => {
    const q = assessQuality(goodQuality({ laplacianVariance: 800 }), null);
    expect(q?.labels).toEqual([]);
    expect(q?.score).toBeGreaterThanOrEqual(90);
  });

  it('labels each problem at its documented threshold', () => {
    const t = QUALITY_THRESHOLDS;
    expect(
      assessQuality(goodQuality({ laplacianVariance: t.blurryLaplacianVariance - 1 }), null)?.labels,
    ).toEqual(['very blurry']);
    expect(
      assessQuality(goodQuality({ laplacianVariance: t.blurryLaplacianVariance + 1 }), null)?.labels,
    ).toEqual([]);
    expect(assessQuality(goodQuality({ meanLuminance: t.darkMeanLuminance - 1 }), null)?.labels).toEqual([
      'too dark',
    ]);
    expect(
      assessQuality(goodQuality({ clippedHighlights: t.overexposedClippedHighlights }), null)?.labels,
    ).toEqual(['overexposed']);
    expect(assessQuality(goodQuality({ meanLuminance: 240 }), null)?.labels).toEqual(['overexposed']);
  });

  it('does not call a dark frame blurry: its Laplacian says nothing about focus', () => {
    expect(assessQuality(goodQuality({ meanLuminance: 6, laplacianVariance: 2 }), null)?.labels).toEqual([
      'too dark',
    ]);
  });

  it('scores truncated, undecodable or corrupted-reported files 0', () => {
    expect(assessQuality(goodQuality({ integrity: 'truncated' }), null)).toEqual({
      score: 0,
      labels: ['corrupted'],
    });
    expect(assessQuality(null, 'corrupted')).toEqual({ score: 0, labels: ['corrupted'] });
    expect(assessQuality(null, null)).toBeNull();
  });

  it('keeps every labelled picture at or below the flagged ceiling and orders by sharpness', () => {
    const blurry = assessQuality(goodQuality({ laplacianVariance: 6 }), null);
    expect(blurry?.score).toBeLessThanOrEqual(QUALITY_THRESHOLDS.flaggedScoreCeiling);
    const soft = assessQuality(goodQuality({ laplacianVariance: 40 }), null)?.score ?? 0;
    const crisp = assessQuality(goodQuality({ laplacianVariance: 400 }), null)?.score ?? 0;
    expect(crisp).toBeGreaterThan(soft);
  });
});
