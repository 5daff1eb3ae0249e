import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { ConflictError } from '../errors.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export class MigrationError extends Error {
  constructor(migrationName: string | undefined, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Database migration ${migrationName ?? '(unknown)'} failed: ${reason}`, { cause });
    this.name = 'MigrationError';
  }
}

/** Brings the schema to the latest version; safe to run repeatedly and from several processes. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, result.error);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export class SchemaBehindError extends ConflictError {
  constructor(pending: string[]) {
    super(
      `The database schema is behind this version (${pending.length} migration(s) pending: ` +
        `${pending.join(', ')}). Run \`photo-sync migrate\` first (the compose file's migrate service does).`,
    );
  }
}

/** Split-deployment processes do not migrate (only `migrate` and `serve` do): they refuse an old schema. */
export async function assertSchemaCurrent(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
  if (pending.length > 0) throw new SchemaBehindError(pending);
}
