/**
 * Bulk selection in a grid: click toggles, shift-click selects the range from the last clicked
 * item, and "select below threshold" picks every item whose score is under a value. Pure, so the
 * rules are unit-tested and the grid stays a thin view.
 */
export interface Selection {
  selected: ReadonlySet<string>;
  /** The item the next shift-click ranges from. */
  anchor: string | null;
}

export const emptySelection: Selection = { selected: new Set(), anchor: null };

export function toggleItem(sel: Selection, id: string): Selection {
  const selected = new Set(sel.selected);
  if (selected.has(id)) selected.delete(id);
  else selected.add(id);
  return { selected, anchor: id };
}

/** Shift-click: every item between the anchor and `id` (inclusive) becomes selected. */
export function selectRange(sel: Selection, orderedIds: readonly string[], id: string): Selection {
  const from = sel.anchor === null ? -1 : orderedIds.indexOf(sel.anchor);
  const to = orderedIds.indexOf(id);
  if (to < 0) return sel;
  if (from < 0) return toggleItem(sel, id);
  const [lo, hi] = from < to ? [from, to] : [to, from];
  const selected = new Set(sel.selected);
  for (const rangeId of orderedIds.slice(lo, hi + 1)) selected.add(rangeId);
  return { selected, anchor: id };
}

export function selectBelow<T>(
  items: readonly T[],
  idOf: (t: T) => string,
  scoreOf: (t: T) => number,
  threshold: number,
): Selection {
  return { selected: new Set(items.filter((t) => scoreOf(t) < threshold).map(idOf)), anchor: null };
}

export function selectAll(ids: readonly string[]): Selection {
  return { selected: new Set(ids), anchor: null };
}

/** Drops ids that are no longer listed (after a removal or a new filter). */
export function keepListed(sel: Selection, ids: readonly string[]): Selection {
  const listed = new Set(ids);
  const selected = new Set([...sel.selected].filter((id) => listed.has(id)));
  return { selected, anchor: sel.anchor !== null && listed.has(sel.anchor) ? sel.anchor : null };
}
