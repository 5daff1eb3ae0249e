import { sql, type Kysely } from 'kysely';

// Indexes of the web app's explore views (issue 18): the Problems list (files with a problem,
// newest change first), the map (geotagged photos of a library, by position) and the timeline's
// filters by file kind and camera model (each walks its own keyset order instead of filtering
// every row of the library's timeline).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('assets_problems_idx')
    .on('assets')
    .columns(['library_id', 'updated_at desc', 'id desc'])
    .where(sql.ref('problem_code'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('assets_geo_idx')
    .on('assets')
    .columns(['library_id', 'gps_latitude', 'gps_longitude'])
    .where(sql<boolean>`status = 'ready' and gps_latitude is not null`)
    .execute();
  await db.schema
    .createIndex('assets_kind_timeline_idx')
    .on('assets')
    .columns(['library_id', 'kind', 'sort_at desc', 'id desc'])
    .where(sql<boolean>`status = 'ready'`)
    .execute();
  await db.schema
    .createIndex('assets_model_timeline_idx')
    .on('assets')
    .columns(['library_id', 'model', 'sort_at desc', 'id desc'])
    .where(sql<boolean>`status = 'ready' and model is not null`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('assets_model_timeline_idx').execute();
  await db.schema.dropIndex('assets_kind_timeline_idx').execute();
  await db.schema.dropIndex('assets_geo_idx').execute();
  await db.schema.dropIndex('assets_problems_idx').execute();
}
