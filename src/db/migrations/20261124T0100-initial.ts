import { sql, type Kysely } from 'kysely';

// Timestamps are millisecond precision (timestamptz(3)) so they round-trip exactly through
// JavaScript Dates — keyset pagination cursors depend on that.

// Migrations are append-only: never edit one that has shipped; add a new file instead.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('libraries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('roots', 'jsonb', (c) => c.notNull())
    .addColumn('read_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_scan_at', sql`timestamptz(3)`)
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('mtime_ms', 'double precision', (c) => c.notNull())
    .addColumn('inode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('mime', 'text')
    .addColumn('sha256', 'text')
    .addColumn('problem_code', 'text')
    .addColumn('problem_message', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_at', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('captured_at', sql`timestamptz(3)`)
    .addColumn('capture_local', 'text')
    .addColumn('capture_offset_minutes', 'integer')
    .addColumn('make', 'text')
    .addColumn('model', 'text')
    .addColumn('body_serial', 'text')
    .addColumn('lens', 'text')
    .addColumn('exposure_time', 'double precision')
    .addColumn('f_number', 'double precision')
    .addColumn('iso', 'integer')
    .addColumn('focal_length', 'double precision')
    .addColumn('burst_id', 'text')
    .addColumn('sequence_number', 'integer')
    .addColumn('content_identifier', 'text')
    .addColumn('gps_latitude', 'double precision')
    .addColumn('gps_longitude', 'double precision')
    .addColumn('gps_altitude', 'double precision')
    .addColumn('orientation', 'integer')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('rating', 'integer')
    .addColumn('description', 'text')
    .addColumn('duration_seconds', 'double precision')
    .addColumn('phash', 'text')
    .addColumn('quality', 'jsonb')
    .addColumn('has_thumbnail', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ingested_at', sql`timestamptz(3)`)
    .addUniqueConstraint('assets_library_path_unique', ['library_id', 'path'])
    .addCheckConstraint('assets_status_check', sql`status in ('pending', 'ready', 'failed', 'missing')`)
    .execute();

  await db.schema
    .createIndex('assets_timeline_idx')
    .on('assets')
    .columns(['sort_at desc', 'id desc'])
    .execute();
  await db.schema.createIndex('assets_sha256_idx').on('assets').column('sha256').execute();
  await db.schema
    .createIndex('assets_library_status_idx')
    .on('assets')
    .columns(['library_id', 'status'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('library_id', 'uuid', (c) => c.references('libraries.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', sql`timestamptz(3)`)
    .addColumn('finished_at', sql`timestamptz(3)`)
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('jobs_status_check', sql`status in ('queued', 'running', 'completed', 'failed')`)
    .execute();
  await db.schema
    .createIndex('jobs_created_idx')
    .on('jobs')
    .columns(['created_at desc', 'id desc'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.dropTable('assets').execute();
  await db.schema.dropTable('libraries').execute();
}
