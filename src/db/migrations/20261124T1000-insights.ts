import { sql, type Kysely } from 'kysely';

// Insights (issue 4): import batches, version stacks, bursts, quality scores, organisation
// suggestions and the generic decision log that the action job applies (docs/INSIGHTS.md).

const ts = sql`timestamptz(3)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    // The scan or watcher job that found the files (null when it was not a job).
    .addColumn('job_id', 'uuid')
    .addColumn('asset_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('import_batches_library_idx')
    .on('import_batches')
    .columns(['library_id', 'created_at desc'])
    .execute();

  await db.schema
    .alterTable('assets')
    .addColumn('import_batch_id', 'uuid', (c) => c.references('import_batches.id').onDelete('set null'))
    // 0..100 and labels ("very blurry", "too dark", "overexposed", "corrupted"); null = not scored.
    .addColumn('quality_score', 'smallint')
    .addColumn('quality_labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.createIndex('assets_import_batch_idx').on('assets').column('import_batch_id').execute();
  await db.schema
    .createIndex('assets_quality_idx')
    .on('assets')
    .columns(['library_id', 'quality_score'])
    .execute();

  await db.schema
    .createTable('version_stacks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    // Sorted member ids: the same files keep the same stack id across re-analysis.
    .addColumn('stack_key', 'text', (c) => c.notNull().unique())
    .addColumn('primary_asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('auto_primary_asset_id', 'uuid', (c) =>
      c.notNull().references('assets.id').onDelete('cascade'),
    )
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    .addColumn('member_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('version_stack_members')
    .addColumn('stack_id', 'uuid', (c) => c.notNull().references('version_stacks.id').onDelete('cascade'))
    // An asset is in at most one stack.
    .addColumn('asset_id', 'uuid', (c) => c.primaryKey().references('assets.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('version_stack_members_stack_idx')
    .on('version_stack_members')
    .column('stack_id')
    .execute();
  // The user's primary choice, kept per asset so it survives any change of the stack's members.
  await db.schema
    .createTable('version_primary_overrides')
    .addColumn('asset_id', 'uuid', (c) => c.primaryKey().references('assets.id').onDelete('cascade'))
    .addColumn('chosen_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('bursts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('burst_key', 'text', (c) => c.notNull().unique())
    .addColumn('camera_burst_id', 'text')
    .addColumn('recommended_asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('frame_count', 'integer', (c) => c.notNull())
    // Bytes freed by keeping only the recommended frame.
    .addColumn('bytes_reclaimable', 'bigint', (c) => c.notNull())
    .addColumn('first_at', ts, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('decided_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('bursts_status_check', sql`status in ('open', 'decided')`)
    .execute();
  await db.schema
    .createTable('burst_frames')
    .addColumn('burst_id', 'uuid', (c) => c.notNull().references('bursts.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('burst_frames_pk', ['burst_id', 'asset_id'])
    .execute();
  await db.schema.createIndex('burst_frames_asset_idx').on('burst_frames').column('asset_id').execute();

  await db.schema
    .createTable('suggestions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('library_id', 'uuid', (c) => c.notNull().references('libraries.id').onDelete('cascade'))
    .addColumn('suggestion_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_at', ts)
    .addColumn('ends_at', ts)
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('asset_count', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('album_id', 'uuid', (c) => c.references('albums.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('suggestions_kind_check', sql`kind in ('event', 'place')`)
    .addCheckConstraint('suggestions_status_check', sql`status in ('open', 'accepted')`)
    .execute();
  await db.schema
    .createTable('suggestion_assets')
    .addColumn('suggestion_id', 'uuid', (c) => c.notNull().references('suggestions.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('suggestion_assets_pk', ['suggestion_id', 'asset_id'])
    .execute();

  // Recorded triage decisions, read and applied by the action job (trash/move list).
  await db.schema
    .createTable('decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('library_id', 'uuid', (c) => c.references('libraries.id').onDelete('cascade'))
    // 'duplicate' (subject: duplicate group), 'burst' (burst), 'quality' (asset).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('keep_asset_ids', 'jsonb', (c) => c.notNull())
    .addColumn('remove_asset_ids', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('recorded'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('applied_at', ts)
    .addCheckConstraint('decisions_kind_check', sql`kind in ('duplicate', 'burst', 'quality')`)
    .addCheckConstraint('decisions_status_check', sql`status in ('recorded', 'applied')`)
    .execute();
  await db.schema
    .createIndex('decisions_status_idx')
    .on('decisions')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('decisions_subject_idx')
    .on('decisions')
    .columns(['kind', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'decisions',
    'suggestion_assets',
    'suggestions',
    'burst_frames',
    'bursts',
    'version_primary_overrides',
    'version_stack_members',
    'version_stacks',
  ])
    await db.schema.dropTable(t).execute();
  await db.schema
    .alterTable('assets')
    .dropColumn('import_batch_id')
    .dropColumn('quality_score')
    .dropColumn('quality_labels')
    .execute();
  await db.schema.dropTable('import_batches').execute();
}
