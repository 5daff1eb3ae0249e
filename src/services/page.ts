/**
 * One page of a keyset list: the repository was asked for `limit + 1` rows, so a row beyond the
 * page means there is more, and the cursor of the page's last row is where the next page starts.
 */
export function pageOf<T, C>(
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => C,
): { items: T[]; next: C | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
