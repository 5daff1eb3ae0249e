import { sql, type Kysely } from 'kysely';

// Albums (a photo-sync concept: accepted suggestions create them, the Immich connector mirrors them)
// and the user-owned metadata of an asset that a duplicate decision merges into the keeper.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('assets')
    .addColumn('favourite', 'boolean', (c) => c.notNull().defaultTo(false))
    // User tags (EXIF keywords seed them); a JSON array of strings.
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();

  await db.schema
    .createTable('albums')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // 'manual' or 'suggestion' (an accepted event/place suggestion).
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    // Identifies the suggestion an album came from, so accepting twice makes one album.
    .addColumn('suggestion_key', 'text', (c) => c.unique())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('albums_source_check', sql`source in ('manual', 'suggestion')`)
    .execute();

  await db.schema
    .createTable('album_assets')
    .addColumn('album_id', 'uuid', (c) => c.notNull().references('albums.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('added_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('album_assets_pk', ['album_id', 'asset_id'])
    .execute();
  await db.schema.createIndex('album_assets_asset_idx').on('album_assets').column('asset_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('album_assets').execute();
  await db.schema.dropTable('albums').execute();
  await db.schema.alterTable('assets').dropColumn('tags').dropColumn('favourite').execute();
}
