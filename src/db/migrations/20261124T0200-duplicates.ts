import { sql, type Kysely } from 'kysely';

// Duplicate detection: verified similarity edges between assets, the groups computed from them, the
// user's "not a duplicate" pairs (respected by every later analysis) and recorded decisions.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('assets')
    // Encoded near-duplicate signature set (candidate hashes + verification descriptor).
    .addColumn('signatures', 'bytea')
    // When the asset was last matched against the near-duplicate index (null: not yet).
    .addColumn('matched_at', sql`timestamptz(3)`)
    .execute();

  await db.schema
    .createTable('similarity_edges')
    .addColumn('asset_a', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('asset_b', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('score', 'real', (c) => c.notNull())
    // 'duplicate' or 'similar': the score alone cannot tell two exposures of a still scene apart.
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('transform', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('similarity_edges_pk', ['asset_a', 'asset_b'])
    .addCheckConstraint('similarity_edges_ordered', sql`asset_a < asset_b`)
    .addCheckConstraint('similarity_edges_tier_check', sql`tier in ('duplicate', 'similar')`)
    .execute();
  await db.schema.createIndex('similarity_edges_b_idx').on('similarity_edges').column('asset_b').execute();

  await db.schema
    .createTable('not_duplicate_pairs')
    .addColumn('asset_a', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('asset_b', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('not_duplicate_pairs_pk', ['asset_a', 'asset_b'])
    .addCheckConstraint('not_duplicate_pairs_ordered', sql`asset_a < asset_b`)
    .execute();

  await db.schema
    .createTable('duplicate_groups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Kind + sorted member ids: the same set of files keeps the same group (and its decision).
    .addColumn('group_key', 'text', (c) => c.notNull().unique())
    .addColumn('keeper_asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('member_count', 'integer', (c) => c.notNull())
    .addColumn('bytes_reclaimable', 'bigint', (c) => c.notNull())
    .addColumn('min_similarity', 'real', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('newest_at', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', sql`timestamptz(3)`)
    .addCheckConstraint('duplicate_groups_kind_check', sql`kind in ('exact', 'near', 'similar')`)
    .addCheckConstraint('duplicate_groups_confidence_check', sql`confidence in ('green', 'yellow', 'orange')`)
    .addCheckConstraint(
      'duplicate_groups_status_check',
      sql`status in ('open', 'kept', 'dismissed', 'not-duplicate')`,
    )
    .execute();
  await db.schema
    .createIndex('duplicate_groups_newest_idx')
    .on('duplicate_groups')
    .columns(['newest_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('duplicate_groups_space_idx')
    .on('duplicate_groups')
    .columns(['bytes_reclaimable desc', 'id desc'])
    .execute();

  await db.schema
    .createTable('duplicate_group_members')
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('duplicate_groups.id').onDelete('cascade'))
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('similarity', 'real', (c) => c.notNull())
    .addColumn('is_keeper', 'boolean', (c) => c.notNull())
    .addColumn('keeper_reason', 'text')
    .addPrimaryKeyConstraint('duplicate_group_members_pk', ['group_id', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('duplicate_group_members_asset_idx')
    .on('duplicate_group_members')
    .column('asset_id')
    .execute();

  await db.schema
    .createTable('duplicate_decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('group_id', 'uuid', (c) => c.references('duplicate_groups.id').onDelete('set null'))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('keep_asset_ids', 'jsonb', (c) => c.notNull())
    .addColumn('member_asset_ids', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'duplicate_decisions_action_check',
      sql`action in ('keep', 'not-duplicate', 'dismiss')`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'duplicate_decisions',
    'duplicate_group_members',
    'duplicate_groups',
    'not_duplicate_pairs',
    'similarity_edges',
  ])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable('assets').dropColumn('signatures').dropColumn('matched_at').execute();
}
