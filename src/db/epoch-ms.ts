import { sql, type RawBuilder } from 'kysely';

/**
 * A timestamp column read as epoch milliseconds, for lists: the driver reads a number with
 * parseFloat, where a timestamp's text goes through a regular expression and date arithmetic (a
 * tenth of a list page's CPU for three columns of every row). `date_part` (float8, rounded: the
 * columns hold whole milliseconds), not `extract`, whose numeric result costs PostgreSQL more.
 */
export function epochMs<T extends number | null = number>(column: string): RawBuilder<T> {
  return sql<T>`round(date_part('epoch', ${sql.ref(column)}) * 1000)`;
}
