/** Kept apart from database.ts so the CLI can recognise it without loading the database drivers. */
export class DatabaseUnavailableError extends Error {
  constructor(location: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(
      `Cannot connect to the database at ${location}: ${reason}. ` +
        'Check that PostgreSQL is running and that DATABASE_URL is right, or unset DATABASE_URL to use the embedded database.',
      { cause },
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/** A unique-constraint violation (SQLSTATE 23505), from node-postgres or PGlite alike. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** An invalid parameter value such as an unknown time zone (SQLSTATE 22023). */
export function isInvalidParameterValue(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '22023';
}
