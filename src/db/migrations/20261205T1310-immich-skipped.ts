import { sql, type Kysely } from 'kysely';

// A removal whose asset is already gone from its source (deleted in Immich since the analysis) is
// `skipped`: reported on its item, never an error that stops the job.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table action_items drop constraint action_items_status_check`.execute(db);
  await sql`alter table action_items add constraint action_items_status_check
    check (status in ('pending', 'applied', 'recorded', 'failed', 'undone', 'skipped'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update action_items set status = 'failed' where status = 'skipped'`.execute(db);
  await sql`alter table action_items drop constraint action_items_status_check`.execute(db);
  await sql`alter table action_items add constraint action_items_status_check
    check (status in ('pending', 'applied', 'recorded', 'failed', 'undone'))`.execute(db);
}
