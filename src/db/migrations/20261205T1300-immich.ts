import { sql, type Kysely } from 'kysely';

// Immich libraries: a library is either folders on disk or an Immich server (URL + API key sealed
// with the secrets key). Immich assets keep their Immich id in `external_id`; writes back to Immich
// (stacks, albums, duplicate ids) are per-item rows of their job, so each can be undone.

const ts = 'timestamptz';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('libraries')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('folder'))
    .addColumn('immich_url', 'text')
    .addColumn('immich_key_sealed', 'text')
    .addColumn('immich_version', 'text')
    .addColumn('immich_synced_until', ts)
    .execute();
  await sql`alter table libraries add constraint libraries_kind_check check (kind in ('folder', 'immich'))`.execute(
    db,
  );
  await db.schema.alterTable('assets').addColumn('external_id', 'text').execute();
  await sql`create unique index assets_external_id_idx on assets (library_id, external_id)
    where external_id is not null`.execute(db);

  await db.schema
    .createTable('immich_writes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.references('jobs.id').onDelete('set null'))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('asset_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('immich_id', 'text')
    .addColumn('before', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', ts)
    .addCheckConstraint('immich_writes_kind_check', sql`kind in ('stack', 'album', 'duplicate')`)
    .addCheckConstraint(
      'immich_writes_status_check',
      sql`status in ('pending', 'applied', 'skipped', 'failed', 'undone')`,
    )
    .execute();
  await db.schema.createIndex('immich_writes_job_idx').on('immich_writes').column('job_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('immich_writes').execute();
  await db.schema.dropIndex('assets_external_id_idx').execute();
  await db.schema.alterTable('assets').dropColumn('external_id').execute();
  await sql`alter table libraries drop constraint libraries_kind_check`.execute(db);
  await db.schema
    .alterTable('libraries')
    .dropColumn('kind')
    .dropColumn('immich_url')
    .dropColumn('immich_key_sealed')
    .dropColumn('immich_version')
    .dropColumn('immich_synced_until')
    .execute();
}
