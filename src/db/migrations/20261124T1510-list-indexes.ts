import type { Kysely } from 'kysely';

// Keyset indexes for the lists people scroll: the timeline of one library (or of a user who sees
// few of many libraries) walks its own (library, status, capture time, id) order instead of
// filtering the whole server's timeline, and duplicate groups sorted by similarity get the same
// kind of index the newest and space orders already have.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('assets_library_timeline_idx')
    .on('assets')
    .columns(['library_id', 'status', 'sort_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('duplicate_groups_similarity_idx')
    .on('duplicate_groups')
    .columns(['min_similarity desc', 'id desc'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('duplicate_groups_similarity_idx').execute();
  await db.schema.dropIndex('assets_library_timeline_idx').execute();
}
