import { sql, type Kysely } from 'kysely';

// Every quality flag carries its reason and measured value (label, basis, measure, value, threshold,
// reason, sibling), shown by the API, the report and the UI. And an index on the capture wall clock:
// files sharing a capture instant are compared directly by the duplicate analysis.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('assets')
    .addColumn('quality_flags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.createIndex('assets_capture_local_idx').on('assets').column('capture_local').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('assets_capture_local_idx').execute();
  await db.schema.alterTable('assets').dropColumn('quality_flags').execute();
}
