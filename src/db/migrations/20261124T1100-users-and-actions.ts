import { sql, type Kysely } from 'kysely';

// Multi-user access (users, refresh-token families, API keys, library owners and shares), the audit
// log, and safe actions: every removal is an action item (unique while active, so the same removal
// cannot be applied twice) whose file goes to a trash entry that remembers how to undo it.

const ts = sql`timestamptz(3)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Stored lower-cased and trimmed, so the unique index is case-insensitive.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_role_check', sql`role in ('admin', 'user')`)
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Every rotation stays in the family of the login that started it; reuse revokes the family.
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    // SHA-256 of the random token: the database never holds a usable token.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('rotated_at', ts)
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // First characters of the key, shown in lists so the owner recognises it.
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', ts)
    .execute();

  await db.schema
    .alterTable('libraries')
    // Null for a library registered from the command line before any user existed (adopted by the
    // first admin).
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .execute();

  // Who asked for a job: its progress is shown to them even when it spans no single library.
  await db.schema
    .alterTable('jobs')
    .addColumn('requested_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('library_shares')
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('library_shares_pk', ['library_id', 'user_id'])
    .addCheckConstraint('library_shares_role_check', sql`role in ('viewer', 'editor')`)
    .execute();
  await db.schema.createIndex('library_shares_user_idx').on('library_shares').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    // Kept when the user is deleted: the log outlives accounts (email copied for that reason).
    .addColumn('user_id', 'uuid')
    .addColumn('user_email', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();

  // A trashed asset keeps its row (albums, decisions and thumbnail survive until purge).
  await sql`alter table assets drop constraint assets_status_check`.execute(db);
  await sql`alter table assets add constraint assets_status_check
    check (status in ('pending', 'ready', 'failed', 'missing', 'trashed'))`.execute(db);

  await db.schema
    .createTable('action_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.references('jobs.id').onDelete('set null'))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Where the decision came from ('duplicates', 'manual', later 'versions', 'bursts', 'quality').
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('keeper_asset_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('requested_by', 'uuid')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', ts)
    .addCheckConstraint('action_items_kind_check', sql`kind in ('remove')`)
    .addCheckConstraint(
      'action_items_status_check',
      sql`status in ('pending', 'applied', 'recorded', 'failed', 'undone')`,
    )
    .execute();
  // One active removal per asset: applying the same decision twice cannot move a file twice.
  await sql`create unique index action_items_active_asset_idx on action_items (asset_id)
    where status in ('pending', 'applied', 'recorded')`.execute(db);
  await db.schema.createIndex('action_items_job_idx').on('action_items').column('job_id').execute();

  await db.schema
    .createTable('trash_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('action_item_id', 'uuid', (c) => c.references('action_items.id').onDelete('set null'))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('original_path', 'text', (c) => c.notNull())
    .addColumn('trash_path', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    // Keeper and removed asset metadata before the merge, so undo restores both sides.
    .addColumn('merge', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('trashed_by', 'uuid')
    .addColumn('trashed_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('restored_at', ts)
    .addColumn('restored_path', 'text')
    .addColumn('purged_at', ts)
    .execute();
  await db.schema
    .createIndex('trash_items_trashed_idx')
    .on('trash_items')
    .columns(['trashed_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trash_items').execute();
  await db.schema.dropTable('action_items').execute();
  await sql`update assets set status = 'missing' where status = 'trashed'`.execute(db);
  await sql`alter table assets drop constraint assets_status_check`.execute(db);
  await sql`alter table assets add constraint assets_status_check
    check (status in ('pending', 'ready', 'failed', 'missing'))`.execute(db);
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('library_shares').execute();
  await db.schema.alterTable('jobs').dropColumn('requested_by').execute();
  await db.schema.alterTable('libraries').dropColumn('owner_id').execute();
  await db.schema.dropTable('api_keys').execute();
  await db.schema.dropTable('refresh_tokens').execute();
  await db.schema.dropTable('users').execute();
}
