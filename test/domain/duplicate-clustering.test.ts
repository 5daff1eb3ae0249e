import { describe, expect, it } from 'vitest';
import { clusterAroundKeepers, connectedComponents, pairKey } from '../../src/domain/duplicate-clustering.js';
import { groupIntoTiers } from '../../src/domain/near-duplicate-grouping.js';

const alphabetical = (ids: readonly string[]) => [...ids].sort();

describe('clustering without chaining', () => {
  it('does not join A and C through B when A and C are not similar', () => {
    const edges = [
      { a: 'A', b: 'B', score: 0.97 },
      { a: 'B', b: 'C', score: 0.97 },
    ];
    expect(connectedComponents(edges)).toEqual([['A', 'B', 'C']]); // what single linkage would do
    const clusters = clusterAroundKeepers(edges, alphabetical, { minScore: 0.95 });
    expect(clusters).toEqual([
      {
        keeperId: 'A',
        members: [
          { id: 'A', score: 1 },
          { id: 'B', score: 0.97 },
        ],
      },
    ]);
  });

  it('gives every member its own similarity to the keeper', () => {
    const edges = [
      { a: 'K', b: 'x', score: 0.99 },
      { a: 'K', b: 'y', score: 0.96 },
      { a: 'x', b: 'y', score: 0.5 },
    ];
    const [c] = clusterAroundKeepers(edges, () => ['K', 'x', 'y'], { minScore: 0.95 });
    expect(c?.members).toEqual([
      { id: 'K', score: 1 },
      { id: 'x', score: 0.99 },
      { id: 'y', score: 0.96 },
    ]);
  });

  it('respects "not a duplicate" pairs and the threshold', () => {
    const edges = [
      { a: 'A', b: 'B', score: 0.99 },
      { a: 'A', b: 'C', score: 0.9 },
    ];
    expect(
      clusterAroundKeepers(edges, alphabetical, { minScore: 0.95, excluded: new Set([pairKey('B', 'A')]) }),
    ).toEqual([]);
  });

  it('never puts a removable duplicate into a similar group', () => {
    const edges = [
      { a: 'K', b: 'D', score: 0.99 }, // D is a re-encode of K
      { a: 'K', b: 'S', score: 0.85 }, // S is another frame of the burst
      { a: 'D', b: 'S', score: 0.86 },
    ];
    const tiers = groupIntoTiers(edges, () => ['K', 'D', 'S'], { duplicate: 0.95, similar: 0.8 });
    expect(tiers.duplicates.map((c) => c.members.map((m) => m.id))).toEqual([['K', 'D']]);
    expect(tiers.similar.map((c) => c.members.map((m) => m.id))).toEqual([['K', 'S']]);
  });
});
