import type { Kysely } from 'kysely';

// Issue 15. `deleting_at`: a library being deleted is hidden at once and its rows go in the
// background (a crash resumes the deletion at the next start). `trash_retention_days`: a library's
// own trash retention, overriding TRASH_RETENTION_DAYS when set.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('libraries')
    .addColumn('deleting_at', 'timestamptz')
    .addColumn('trash_retention_days', 'integer')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('libraries')
    .dropColumn('trash_retention_days')
    .dropColumn('deleting_at')
    .execute();
}
