import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { QualityMetrics } from '../domain/quality-metrics.js';
import type { QualityFlag } from '../domain/insights/quality-scoring.js';

/** Row types of the database, kept in step with src/db/migrations by hand (reviewed with each migration). */

/** A timestamp the database fills in by default. */
type CreatedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamp the application sets. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AssetStatus = 'pending' | 'ready' | 'failed' | 'missing' | 'trashed';
/** `waiting`: the job's own work is done; it completes when its child jobs have all finished. */
export type JobStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed';

export interface LibraryTable {
  id: Generated<string>;
  name: string;
  roots: JSONColumnType<string[]>;
  read_only: Generated<boolean>;
  created_at: CreatedTimestamp;
  last_scan_at: NullableTimestamp;
  owner_id: string | null;
  kind: Generated<LibraryKind>;
  immich_url: string | null;
  /** The API key sealed with the secrets key (src/immich/secret-box.ts); never sent to a client. */
  immich_key_sealed: string | null;
  immich_version: string | null;
  /** Immich `updatedAt` of the newest asset read: the next sync asks only for what changed after it. */
  immich_synced_until: NullableTimestamp;
  /** Set when the library's deletion began: it is hidden, and its rows go in the background. */
  deleting_at: NullableTimestamp;
  /** Days its trash keeps a file before purge; null = TRASH_RETENTION_DAYS. */
  trash_retention_days: number | null;
}

export type LibraryKind = 'folder' | 'immich';

export interface AssetTable {
  id: Generated<string>;
  library_id: string;
  path: string;
  size_bytes: number;
  mtime_ms: number;
  inode: string;
  status: AssetStatus;
  kind: string | null;
  mime: string | null;
  sha256: string | null;
  problem_code: string | null;
  problem_message: string | null;
  attempts: Generated<number>;
  /** Newest-first timeline key: capture time, or file mtime when the file has none. */
  sort_at: Timestamp;
  captured_at: NullableTimestamp;
  capture_local: string | null;
  capture_offset_minutes: number | null;
  make: string | null;
  model: string | null;
  body_serial: string | null;
  lens: string | null;
  exposure_time: number | null;
  f_number: number | null;
  iso: number | null;
  focal_length: number | null;
  burst_id: string | null;
  sequence_number: number | null;
  content_identifier: string | null;
  gps_latitude: number | null;
  gps_longitude: number | null;
  gps_altitude: number | null;
  orientation: number | null;
  width: number | null;
  height: number | null;
  rating: number | null;
  description: string | null;
  duration_seconds: number | null;
  phash: string | null;
  signatures: Buffer | null;
  matched_at: NullableTimestamp;
  quality: JSONColumnType<QualityMetrics> | null;
  has_thumbnail: Generated<boolean>;
  favourite: Generated<boolean>;
  tags: JSONColumnType<string[], string | undefined>;
  import_batch_id: string | null;
  quality_score: number | null;
  quality_labels: JSONColumnType<string[], string | undefined>;
  /** Why each label: QualityFlag objects (domain/insights/quality-scoring.ts). */
  quality_flags: JSONColumnType<QualityFlag[], string | undefined>;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
  ingested_at: NullableTimestamp;
  /** The asset's id in its source (Immich), null for files on disk. */
  external_id: Generated<string | null>;
}

export interface JobTable {
  id: Generated<string>;
  type: string;
  library_id: string | null;
  status: JobStatus;
  payload: JSONColumnType<Record<string, unknown>>;
  total: Generated<number>;
  done: Generated<number>;
  failed: Generated<number>;
  error: string | null;
  attempts: Generated<number>;
  parent_id: string | null;
  /** `{ name, payload }` of the job to queue once this one and all its children are done. */
  on_complete: JSONColumnType<{ name: string; payload: Record<string, unknown> }> | null;
  created_at: CreatedTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: CreatedTimestamp;
  requested_by: Generated<string | null>;
}

export type DuplicateKind = 'exact' | 'near' | 'similar';
export type Confidence = 'green' | 'yellow' | 'orange';
export type DuplicateGroupStatus = 'open' | 'kept' | 'dismissed' | 'not-duplicate';
export type DuplicateAction = 'keep' | 'not-duplicate' | 'dismiss';

export interface SimilarityEdgeTable {
  asset_a: string;
  asset_b: string;
  score: number;
  tier: 'duplicate' | 'similar';
  transform: string | null;
  created_at: CreatedTimestamp;
}

export interface NotDuplicatePairTable {
  asset_a: string;
  asset_b: string;
  created_at: CreatedTimestamp;
}

export interface DuplicateGroupTable {
  id: Generated<string>;
  kind: DuplicateKind;
  group_key: string;
  keeper_asset_id: string;
  member_count: number;
  bytes_reclaimable: number;
  min_similarity: number;
  confidence: Confidence;
  status: Generated<DuplicateGroupStatus>;
  newest_at: Timestamp;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
  decided_at: NullableTimestamp;
}

export interface DuplicateGroupMemberTable {
  group_id: string;
  asset_id: string;
  rank: number;
  similarity: number;
  is_keeper: boolean;
  keeper_reason: string | null;
}

export interface DuplicateDecisionTable {
  id: Generated<string>;
  group_id: string | null;
  group_key: string;
  action: DuplicateAction;
  keep_asset_ids: JSONColumnType<string[]>;
  member_asset_ids: JSONColumnType<string[]>;
  created_at: CreatedTimestamp;
}

export type AlbumSource = 'manual' | 'suggestion';

export interface AlbumTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  source: Generated<AlbumSource>;
  suggestion_key: string | null;
  owner_id: string | null;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
  cover_asset_id: string | null;
}

export interface AlbumAssetTable {
  album_id: string;
  asset_id: string;
  added_at: CreatedTimestamp;
}

export interface ImportBatchTable {
  id: Generated<string>;
  library_id: string;
  job_id: string | null;
  asset_count: number;
  created_at: CreatedTimestamp;
}

export interface VersionStackTable {
  id: Generated<string>;
  library_id: string;
  stack_key: string;
  primary_asset_id: string;
  auto_primary_asset_id: string;
  reasons: JSONColumnType<string[]>;
  member_count: number;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
}

export interface VersionStackMemberTable {
  stack_id: string;
  asset_id: string;
  rank: number;
}

export interface VersionPrimaryOverrideTable {
  asset_id: string;
  chosen_at: CreatedTimestamp;
}

export type BurstStatus = 'open' | 'decided';

export interface BurstTable {
  id: Generated<string>;
  library_id: string;
  burst_key: string;
  camera_burst_id: string | null;
  recommended_asset_id: string;
  frame_count: number;
  bytes_reclaimable: number;
  first_at: Timestamp;
  status: Generated<BurstStatus>;
  decided_at: NullableTimestamp;
  created_at: CreatedTimestamp;
}

export interface BurstFrameTable {
  burst_id: string;
  asset_id: string;
  position: number;
  score: number;
}

export type SuggestionKind = 'event' | 'place';
export type SuggestionStatus = 'open' | 'accepted';

export interface SuggestionTable {
  id: Generated<string>;
  library_id: string;
  suggestion_key: string;
  kind: SuggestionKind;
  name: string;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  latitude: number | null;
  longitude: number | null;
  asset_count: number;
  status: Generated<SuggestionStatus>;
  album_id: string | null;
  created_at: CreatedTimestamp;
}

export interface SuggestionAssetTable {
  suggestion_id: string;
  asset_id: string;
}

export type DecisionKind = 'duplicate' | 'burst' | 'quality';
export type DecisionStatus = 'recorded' | 'applied';

export interface DecisionTable {
  id: Generated<string>;
  library_id: string | null;
  kind: DecisionKind;
  subject_id: string;
  keep_asset_ids: JSONColumnType<string[]>;
  remove_asset_ids: JSONColumnType<string[]>;
  status: Generated<DecisionStatus>;
  created_at: CreatedTimestamp;
  applied_at: NullableTimestamp;
}

export type UserRole = 'admin' | 'user';
export type ShareRole = 'viewer' | 'editor';

export interface UserTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: UserRole;
  password_hash: string;
  created_at: CreatedTimestamp;
  updated_at: CreatedTimestamp;
}

export interface RefreshTokenTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: CreatedTimestamp;
  rotated_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ApiKeyTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: CreatedTimestamp;
  last_used_at: NullableTimestamp;
}

export interface LibraryShareTable {
  library_id: string;
  user_id: string;
  role: ShareRole;
  created_at: CreatedTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedTimestamp;
  user_id: string | null;
  user_email: string | null;
  action: string;
  target: string;
  ip: string | null;
  details: JSONColumnType<Record<string, unknown>>;
}

/** An administrator's override of one runtime setting (src/config/runtime-settings.ts). */
export interface SettingTable {
  key: string;
  // jsonb: read back parsed, written as JSON text.
  value: ColumnType<unknown, string, string>;
  updated_by: string | null;
  updated_at: CreatedTimestamp;
}

export type ActionItemStatus = 'pending' | 'applied' | 'recorded' | 'failed' | 'undone' | 'skipped';

export interface ActionItemTable {
  id: Generated<string>;
  job_id: string | null;
  library_id: string;
  asset_id: string;
  kind: 'remove';
  source: string;
  source_id: string | null;
  keeper_asset_ids: JSONColumnType<string[]>;
  reason: string | null;
  status: ActionItemStatus;
  error: string | null;
  requested_by: string | null;
  created_at: CreatedTimestamp;
  finished_at: NullableTimestamp;
}

export interface TrashItemTable {
  id: Generated<string>;
  action_item_id: string | null;
  library_id: string;
  asset_id: string;
  original_path: string;
  trash_path: string;
  size_bytes: number;
  merge: JSONColumnType<Record<string, unknown>>;
  trashed_by: string | null;
  trashed_at: CreatedTimestamp;
  restored_at: NullableTimestamp;
  restored_path: string | null;
  purged_at: NullableTimestamp;
}

export type ImmichWriteKind = 'stack' | 'album' | 'duplicate';
export type ImmichWriteStatus = 'pending' | 'applied' | 'skipped' | 'failed' | 'undone';

/** One write to Immich (a stack, an album, a duplicate id) of an `immich.push` job, undoable. */
export interface ImmichWriteTable {
  id: Generated<string>;
  job_id: string | null;
  library_id: string;
  kind: ImmichWriteKind;
  /** The photo-sync subject: version stack, burst or suggestion id. */
  subject_id: string;
  name: string | null;
  /** photo-sync asset ids, primary first for a stack. */
  asset_ids: JSONColumnType<string[]>;
  immich_id: string | null;
  /** What Immich had before the write (e.g. the stacks the assets were in), for undo. */
  before: JSONColumnType<Record<string, unknown>>;
  status: ImmichWriteStatus;
  error: string | null;
  created_at: CreatedTimestamp;
  finished_at: NullableTimestamp;
}

export interface Database {
  libraries: LibraryTable;
  assets: AssetTable;
  jobs: JobTable;
  similarity_edges: SimilarityEdgeTable;
  not_duplicate_pairs: NotDuplicatePairTable;
  duplicate_groups: DuplicateGroupTable;
  duplicate_group_members: DuplicateGroupMemberTable;
  duplicate_decisions: DuplicateDecisionTable;
  albums: AlbumTable;
  album_assets: AlbumAssetTable;
  import_batches: ImportBatchTable;
  version_stacks: VersionStackTable;
  version_stack_members: VersionStackMemberTable;
  version_primary_overrides: VersionPrimaryOverrideTable;
  bursts: BurstTable;
  burst_frames: BurstFrameTable;
  suggestions: SuggestionTable;
  suggestion_assets: SuggestionAssetTable;
  decisions: DecisionTable;
  users: UserTable;
  refresh_tokens: RefreshTokenTable;
  api_keys: ApiKeyTable;
  library_shares: LibraryShareTable;
  audit_log: AuditLogTable;
  action_items: ActionItemTable;
  trash_items: TrashItemTable;
  settings: SettingTable;
  immich_writes: ImmichWriteTable;
  favourites: FavouriteTable;
}

export interface FavouriteTable {
  user_id: string;
  asset_id: string;
  created_at: CreatedTimestamp;
}
