/**
 * Keyboard review of duplicate groups as a pure state machine: a key press (or button) is an
 * event; the reducer returns the next state and at most one command for the view to carry out
 * (decide on the server, move to another group). Kept pure so every shortcut is unit-tested.
 */

export interface ReviewState {
  /** Index of the group under review in the loaded list. */
  groupIndex: number;
  groupCount: number;
  /** Member asset ids of the current group, in display order. */
  memberIds: string[];
  /** Members marked to keep; starts as the recommended keeper. */
  keep: ReadonlySet<string>;
  /** Member with keyboard focus (index into memberIds). */
  focus: number;
  /** Waiting for the user to confirm "remove others". */
  confirming: boolean;
  /** Last message for the user (an action that could not happen, and why). */
  message: string | null;
}

export type ReviewEvent =
  | { type: 'load'; groupIndex: number; groupCount: number; memberIds: string[]; keeperIds: string[] }
  | { type: 'key'; key: string; shift?: boolean }
  | { type: 'toggle'; assetId: string }
  | { type: 'cancel' };

export type ReviewCommand =
  | { type: 'goto'; groupIndex: number }
  | { type: 'remove-others'; keepAssetIds: string[]; removeAssetIds: string[] }
  | { type: 'keep-all' }
  | { type: 'not-duplicate' }
  | { type: 'zoom'; direction: 'in' | 'out' | 'reset' };

export interface ReviewStep {
  state: ReviewState;
  command: ReviewCommand | null;
}

export const initialReviewState: ReviewState = {
  groupIndex: 0,
  groupCount: 0,
  memberIds: [],
  keep: new Set(),
  focus: 0,
  confirming: false,
  message: null,
};

/** The shortcuts, as shown in the help overlay. */
export const reviewShortcuts: { keys: string; does: string }[] = [
  { keys: 'j / ↓', does: 'next group' },
  { keys: 'k / ↑', does: 'previous group' },
  { keys: '← / →', does: 'move focus between copies' },
  { keys: 'space or 1–9', does: 'mark / unmark a copy to keep' },
  { keys: 'Enter', does: 'remove the unmarked copies (asks to confirm; Enter again confirms)' },
  { keys: 'a', does: 'keep all copies' },
  { keys: 'n', does: 'not a duplicate' },
  { keys: '+ / − / 0', does: 'zoom in / out / fit' },
  { keys: 'Esc', does: 'cancel' },
];

const step = (state: ReviewState, command: ReviewCommand | null = null): ReviewStep => ({ state, command });

function toggled(state: ReviewState, assetId: string): ReviewState {
  if (!state.memberIds.includes(assetId)) return state;
  const keep = new Set(state.keep);
  if (keep.has(assetId)) keep.delete(assetId);
  else keep.add(assetId);
  return { ...state, keep, confirming: false, message: null };
}

function gotoGroup(state: ReviewState, delta: number): ReviewStep {
  const target = state.groupIndex + delta;
  if (target < 0 || target >= state.groupCount) {
    return step({ ...state, message: delta > 0 ? 'This is the last group.' : 'This is the first group.' });
  }
  return step({ ...state, confirming: false, message: null }, { type: 'goto', groupIndex: target });
}

function removeOthers(state: ReviewState): ReviewStep {
  if (state.keep.size === 0)
    return step({
      ...state,
      confirming: false,
      message: 'Mark at least one copy to keep first (space or 1–9).',
    });
  const removeAssetIds = state.memberIds.filter((id) => !state.keep.has(id));
  if (removeAssetIds.length === 0)
    return step({ ...state, confirming: false, message: 'Every copy is marked to keep: nothing to remove.' });
  if (!state.confirming) return step({ ...state, confirming: true, message: null });
  return step(
    { ...state, confirming: false, message: null },
    {
      type: 'remove-others',
      keepAssetIds: state.memberIds.filter((id) => state.keep.has(id)),
      removeAssetIds,
    },
  );
}

function onKey(state: ReviewState, key: string): ReviewStep {
  if (state.confirming && key !== 'Enter') return step({ ...state, confirming: false });
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return gotoGroup(state, 1);
    case 'k':
    case 'ArrowUp':
      return gotoGroup(state, -1);
    case 'ArrowRight':
      return step({ ...state, focus: Math.min(state.focus + 1, Math.max(state.memberIds.length - 1, 0)) });
    case 'ArrowLeft':
      return step({ ...state, focus: Math.max(state.focus - 1, 0) });
    case ' ': {
      const id = state.memberIds[state.focus];
      return step(id ? toggled(state, id) : state);
    }
    case 'Enter':
      return removeOthers(state);
    case 'a':
      return step({ ...state, message: null }, { type: 'keep-all' });
    case 'n':
      return step({ ...state, message: null }, { type: 'not-duplicate' });
    case '+':
    case '=':
      return step(state, { type: 'zoom', direction: 'in' });
    case '-':
      return step(state, { type: 'zoom', direction: 'out' });
    case '0':
      return step(state, { type: 'zoom', direction: 'reset' });
    case 'Escape':
      return step({ ...state, confirming: false, message: null });
    default: {
      if (/^[1-9]$/.test(key)) {
        const index = Number(key) - 1;
        const id = state.memberIds[index];
        return step(id ? { ...toggled(state, id), focus: index } : state);
      }
      return step(state);
    }
  }
}

export function reviewReducer(state: ReviewState, event: ReviewEvent): ReviewStep {
  switch (event.type) {
    case 'load':
      return step({
        groupIndex: event.groupIndex,
        groupCount: event.groupCount,
        memberIds: event.memberIds,
        keep: new Set(event.keeperIds.filter((id) => event.memberIds.includes(id))),
        focus: 0,
        confirming: false,
        message: null,
      });
    case 'toggle':
      return step(toggled(state, event.assetId));
    case 'cancel':
      return step({ ...state, confirming: false, message: null });
    case 'key':
      return onKey(state, event.key);
  }
}
