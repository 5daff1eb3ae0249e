import { describe, expect, it } from 'vitest';
import {
  initialReviewState,
  reviewReducer,
  type ReviewEvent,
  type ReviewState,
} from '../src/review/review-state';

const load = (over: Partial<Extract<ReviewEvent, { type: 'load' }>> = {}) =>
  reviewReducer(initialReviewState, {
    type: 'load',
    groupIndex: 1,
    groupCount: 3,
    memberIds: ['a', 'b', 'c'],
    keeperIds: ['b'],
    ...over,
  }).state;

function keys(state: ReviewState, ...pressed: string[]) {
  let s = state;
  let command = null;
  for (const key of pressed) ({ state: s, command } = reviewReducer(s, { type: 'key', key }));
  return { state: s, command };
}

describe('keyboard review of a duplicate group', () => {
  it('starts with the recommended keeper marked', () => {
    expect([...load().keep]).toEqual(['b']);
  });

  it('moves between groups with j/k and arrows, and says when there is no further group', () => {
    expect(keys(load(), 'j').command).toEqual({ type: 'goto', groupIndex: 2 });
    expect(keys(load(), 'ArrowUp').command).toEqual({ type: 'goto', groupIndex: 0 });
    const last = keys(load({ groupIndex: 2 }), 'j');
    expect(last.command).toBeNull();
    expect(last.state.message).toBe('This is the last group.');
  });

  it('toggles copies with number keys and with space on the focused copy', () => {
    const s = keys(load(), '1', '2').state;
    expect([...s.keep]).toEqual(['a']);
    const focused = keys(load(), 'ArrowRight', 'ArrowRight', ' ').state;
    expect(focused.focus).toBe(2);
    expect([...focused.keep].sort()).toEqual(['b', 'c']);
    expect(keys(load(), '9').state.keep).toEqual(load().keep);
  });

  it('asks to confirm "remove others" and then removes exactly the unmarked copies', () => {
    const first = keys(load(), 'Enter');
    expect(first.command).toBeNull();
    expect(first.state.confirming).toBe(true);
    const second = keys(first.state, 'Enter');
    expect(second.command).toEqual({
      type: 'remove-others',
      keepAssetIds: ['b'],
      removeAssetIds: ['a', 'c'],
    });
    expect(second.state.confirming).toBe(false);
  });

  it('any other key cancels a pending confirmation', () => {
    const s = keys(load(), 'Enter', 'x');
    expect(s.state.confirming).toBe(false);
    expect(keys(s.state, 'Enter').command).toBeNull();
  });

  it('refuses to remove when nothing or everything is marked, with the reason', () => {
    const none = keys(load(), '2', 'Enter');
    expect(none.command).toBeNull();
    expect(none.state.message).toMatch(/Mark at least one copy/);
    const all = keys(load(), '1', '3', 'Enter');
    expect(all.command).toBeNull();
    expect(all.state.message).toMatch(/nothing to remove/);
  });

  it('maps keep-all, not-a-duplicate and zoom keys to commands', () => {
    expect(keys(load(), 'a').command).toEqual({ type: 'keep-all' });
    expect(keys(load(), 'n').command).toEqual({ type: 'not-duplicate' });
    expect(keys(load(), '+').command).toEqual({ type: 'zoom', direction: 'in' });
    expect(keys(load(), '-').command).toEqual({ type: 'zoom', direction: 'out' });
    expect(keys(load(), '0').command).toEqual({ type: 'zoom', direction: 'reset' });
  });

  it('ignores a keeper id that is not a member of the group', () => {
    expect(load({ keeperIds: ['zzz'] }).keep.size).toBe(0);
  });
});
