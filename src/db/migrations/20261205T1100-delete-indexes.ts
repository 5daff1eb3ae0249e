import type { Kysely } from 'kysely';

// Deleting assets (a library, a purge) cascades into every table that points at them; without an
// index on the pointing column each deleted row scans that whole table. These make a library of
// 300,000 assets deletable in batches that each take a moment (docs/SECURITY.md).
const INDEXES: readonly [name: string, table: string, column: string][] = [
  ['not_duplicate_pairs_b_idx', 'not_duplicate_pairs', 'asset_b'],
  ['duplicate_groups_keeper_idx', 'duplicate_groups', 'keeper_asset_id'],
  ['version_stacks_library_idx', 'version_stacks', 'library_id'],
  ['version_stacks_primary_idx', 'version_stacks', 'primary_asset_id'],
  ['version_stacks_auto_primary_idx', 'version_stacks', 'auto_primary_asset_id'],
  ['bursts_library_idx', 'bursts', 'library_id'],
  ['bursts_recommended_idx', 'bursts', 'recommended_asset_id'],
  ['suggestions_library_idx', 'suggestions', 'library_id'],
  ['suggestion_assets_asset_idx', 'suggestion_assets', 'asset_id'],
  ['decisions_library_idx', 'decisions', 'library_id'],
  ['action_items_library_idx', 'action_items', 'library_id'],
  ['action_items_asset_idx', 'action_items', 'asset_id'],
  ['trash_items_library_idx', 'trash_items', 'library_id'],
  ['trash_items_asset_idx', 'trash_items', 'asset_id'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, column] of INDEXES)
    await db.schema.createIndex(name).ifNotExists().on(table).column(column).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}
