import { sql, type Kysely } from 'kysely';

/**
 * Jobs that fan out: a scan splits its ingest into batches (children) that any worker may run, and
 * waits ('waiting') until they are all finished. `on_complete` names the job queued when they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('jobs')
    .addColumn('parent_id', 'uuid', (c) => c.references('jobs.id').onDelete('cascade'))
    .addColumn('on_complete', 'jsonb')
    .execute();
  await db.schema.createIndex('jobs_parent_idx').on('jobs').column('parent_id').execute();
  await db.schema.createIndex('jobs_status_idx').on('jobs').columns(['status', 'created_at']).execute();
  await db.schema.alterTable('jobs').dropConstraint('jobs_status_check').execute();
  await db.schema
    .alterTable('jobs')
    .addCheckConstraint(
      'jobs_status_check',
      sql`status in ('queued', 'running', 'waiting', 'completed', 'failed')`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropConstraint('jobs_status_check').execute();
  await sql`update jobs set status = 'running' where status = 'waiting'`.execute(db);
  await db.schema
    .alterTable('jobs')
    .addCheckConstraint('jobs_status_check', sql`status in ('queued', 'running', 'completed', 'failed')`)
    .execute();
  await db.schema.dropIndex('jobs_status_idx').execute();
  await db.schema.dropIndex('jobs_parent_idx').execute();
  await db.schema.alterTable('jobs').dropColumn('on_complete').dropColumn('parent_id').execute();
}
