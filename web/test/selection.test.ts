import { describe, expect, it } from 'vitest';
import { emptySelection, keepListed, selectBelow, selectRange, toggleItem } from '../src/quality/selection';

const ids = ['a', 'b', 'c', 'd', 'e'];

describe('bulk selection', () => {
  it('toggles single items and remembers the anchor', () => {
    const s = toggleItem(toggleItem(emptySelection, 'b'), 'd');
    expect([...s.selected]).toEqual(['b', 'd']);
    expect(s.anchor).toBe('d');
    expect([...toggleItem(s, 'b').selected]).toEqual(['d']);
  });

  it('shift-click selects the range between the anchor and the item, in either direction', () => {
    expect([...selectRange(toggleItem(emptySelection, 'b'), ids, 'd').selected].sort()).toEqual([
      'b',
      'c',
      'd',
    ]);
    expect([...selectRange(toggleItem(emptySelection, 'e'), ids, 'c').selected].sort()).toEqual([
      'c',
      'd',
      'e',
    ]);
    // Without an anchor a shift-click is a plain toggle.
    expect([...selectRange(emptySelection, ids, 'c').selected]).toEqual(['c']);
  });

  it('selects every item scoring below the threshold', () => {
    const items = [
      { id: 'a', score: 5 },
      { id: 'b', score: 20 },
      { id: 'c', score: 19.5 },
    ];
    expect([
      ...selectBelow(
        items,
        (i) => i.id,
        (i) => i.score,
        20,
      ).selected,
    ]).toEqual(['a', 'c']);
  });

  it('drops items that are no longer listed', () => {
    const s = keepListed(toggleItem(toggleItem(emptySelection, 'a'), 'z'), ids);
    expect([...s.selected]).toEqual(['a']);
    expect(s.anchor).toBeNull();
  });
});
