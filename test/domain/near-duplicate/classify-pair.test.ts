import { describe, expect, it } from 'vitest';
import {
  captureTimesDiffer,
  classifyPair,
  DEFAULT_THRESHOLDS,
  scoreForPercent,
  similarityPercent,
  thresholdsForPercent,
} from '../../../src/domain/near-duplicate/index.js';

describe('classifyPair', () => {
  it('splits scores into duplicate, similar and different at the default thresholds', () => {
    expect(classifyPair(0.99)).toBe('duplicate');
    expect(classifyPair(DEFAULT_THRESHOLDS.duplicate)).toBe('duplicate');
    expect(classifyPair(0.9)).toBe('similar');
    expect(classifyPair(DEFAULT_THRESHOLDS.similar)).toBe('similar');
    expect(classifyPair(0.3)).toBe('different');
  });

  it('never calls two distinct exposures duplicates, however alike', () => {
    expect(classifyPair(0.999, DEFAULT_THRESHOLDS, { distinctCaptures: true })).toBe('similar');
    expect(classifyPair(0.2, DEFAULT_THRESHOLDS, { distinctCaptures: true })).toBe('different');
  });

  it('honours custom thresholds', () => {
    expect(classifyPair(0.9, { duplicate: 0.85, similar: 0.5 })).toBe('duplicate');
  });
});

describe('similarityPercent', () => {
  it('maps the default duplicate threshold to 95% and the similar threshold to 80%', () => {
    expect(similarityPercent(DEFAULT_THRESHOLDS.duplicate)).toBe(95);
    expect(similarityPercent(DEFAULT_THRESHOLDS.similar)).toBe(80);
    expect(similarityPercent(1)).toBe(100);
    expect(similarityPercent(0)).toBe(0);
  });

  it('is monotone and inverted by scoreForPercent', () => {
    let previous = -1;
    for (let score = 0; score <= 1; score += 0.01) {
      const percent = similarityPercent(score);
      expect(percent).toBeGreaterThanOrEqual(previous);
      previous = percent;
      expect(scoreForPercent(percent)).toBeCloseTo(score, 2);
    }
  });

  it('turns a "95% similar" setting into the default thresholds', () => {
    expect(thresholdsForPercent(95).duplicate).toBeCloseTo(DEFAULT_THRESHOLDS.duplicate, 6);
    expect(thresholdsForPercent(98).duplicate).toBeGreaterThan(DEFAULT_THRESHOLDS.duplicate);
    expect(thresholdsForPercent(70).similar).toBeLessThanOrEqual(thresholdsForPercent(70).duplicate);
  });
});

describe('captureTimesDiffer', () => {
  it('separates burst frames (also from a first frame at .000) and different seconds', () => {
    expect(captureTimesDiffer('2024-05-01T10:00:00.300', '2024-05-01T10:00:00.600')).toBe(true);
    expect(captureTimesDiffer('2024-05-01T10:00:00.000', '2024-05-01T10:00:00.300')).toBe(true);
    expect(captureTimesDiffer('2024-05-01T10:00:00.000', '2024-05-01T10:00:02.000')).toBe(true);
  });

  it('treats equal and unknown times as no evidence', () => {
    expect(captureTimesDiffer('2024-05-01T10:00:00.450', '2024-05-01T10:00:00.450')).toBe(false);
    expect(captureTimesDiffer(null, '2024-05-01T10:00:00.000')).toBe(false);
    expect(captureTimesDiffer('not a date', '2024-05-01T10:00:00.000')).toBe(false);
  });
});
