import { sql, type Kysely } from 'kysely';

// Albums belong to the user who made them (accepting a suggestion of a shared library makes that
// user's album), so the same suggestion may become one album per user, never two for one user.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('albums')
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.alterTable('albums').dropConstraint('albums_suggestion_key_key').execute();
  await db.schema
    .alterTable('albums')
    .addUniqueConstraint('albums_owner_suggestion_key', ['owner_id', 'suggestion_key'])
    .execute();
  await db.schema.createIndex('albums_owner_idx').on('albums').column('owner_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('albums').dropConstraint('albums_owner_suggestion_key').execute();
  await db.schema.alterTable('albums').dropColumn('owner_id').execute();
  await sql`alter table albums add constraint albums_suggestion_key_key unique (suggestion_key)`.execute(db);
}
