/**
 * node-postgres and PGlite send a statement's parameter count in 16 bits: past 65,535 parameters
 * the statement fails ("bind message has 13940 parameter formats but 0 parameters"). A list whose
 * length depends on the user's data (files in a folder, members of a group, a selection) goes to
 * the database in pieces that stay well under that limit.
 */
export const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/** Rows per statement when nothing else bounds them: short statements keep the database shared. */
const DEFAULT_ROWS = 1000;

/**
 * Consecutive slices of `items`, each small enough that `parametersPerItem` bound parameters per
 * item stay within MAX_PARAMETERS_PER_STATEMENT (and at most `maxItems` items).
 */
export function chunksOf<T>(items: readonly T[], parametersPerItem = 1, maxItems = DEFAULT_ROWS): T[][] {
  const size = Math.max(
    1,
    Math.min(maxItems, Math.floor(MAX_PARAMETERS_PER_STATEMENT / Math.max(1, parametersPerItem))),
  );
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `query` on each chunk of `items` in turn and concatenates the rows it returns. */
export async function queryInChunks<T, R>(
  items: readonly T[],
  query: (chunk: T[]) => Promise<R[]>,
  parametersPerItem = 1,
): Promise<R[]> {
  const rows: R[] = [];
  for (const chunk of chunksOf(items, parametersPerItem)) rows.push(...(await query(chunk)));
  return rows;
}
