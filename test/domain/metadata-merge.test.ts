import { describe, expect, it } from 'vitest';
import { joinDescriptions, mergeMetadata, type MergeableMetadata } from '../../src/domain/metadata-merge.js';

const blank: MergeableMetadata = { favourite: false, rating: null, tags: [], description: null, gps: null };
const rome = { latitude: 41.9, longitude: 12.48, altitude: 20 };

describe('metadata merged into the keeper', () => {
  it('takes favourite, the highest rating, united tags and GPS only when the keeper lacks one', () => {
    const keeper = { ...blank, rating: 2, tags: ['Trip', 'family'] };
    const removed = { ...blank, favourite: true, rating: 5, tags: ['trip', 'Rome'], gps: rome };
    expect(mergeMetadata(keeper, removed)).toEqual({
      favourite: true,
      rating: 5,
      tags: ['Trip', 'family', 'Rome'],
      description: null,
      gps: rome,
    });
    const located = { ...blank, gps: { latitude: 1, longitude: 2, altitude: null } };
    expect(mergeMetadata(located, { ...blank, gps: rome }).gps).toEqual(located.gps);
    expect(mergeMetadata({ ...blank, rating: 3 }, blank).rating).toBe(3);
  });

  it('joins descriptions without repeating one that is already contained', () => {
    expect(joinDescriptions('Trevi at dawn', 'Trevi at dawn')).toBe('Trevi at dawn');
    expect(joinDescriptions('Trevi at dawn, with Anna', 'trevi at dawn')).toBe('Trevi at dawn, with Anna');
    expect(joinDescriptions('Trevi', 'Trevi fountain at dawn')).toBe('Trevi fountain at dawn');
    expect(joinDescriptions('Trevi', 'Anna')).toBe('Trevi\n\nAnna');
    expect(joinDescriptions(null, '  ')).toBeNull();
    expect(joinDescriptions('', 'Anna')).toBe('Anna');
  });

  it('never loses what the keeper had', () => {
    const keeper = { favourite: true, rating: 4, tags: ['a'], description: 'x', gps: rome };
    expect(mergeMetadata(keeper, blank)).toEqual(keeper);
  });
});
