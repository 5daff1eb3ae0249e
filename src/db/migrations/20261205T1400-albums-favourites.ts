import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Albums get a cover chosen by their owner (the first photo when none is chosen, or when the chosen
// one leaves the album), and every user gets their own favourites.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('albums')
    .addColumn('cover_asset_id', 'uuid', (c) => c.references('assets.id').onDelete('set null'))
    .execute();
  await db.schema
    .createTable('favourites')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('favourites_pk', ['user_id', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('favourites_user_recent_idx')
    .on('favourites')
    .columns(['user_id', 'created_at desc', 'asset_id desc'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('favourites').execute();
  await db.schema.alterTable('albums').dropColumn('cover_asset_id').execute();
}
