import type { Config } from '../config/config.js';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { assertSchemaCurrent, migrateToLatest } from '../db/migrate.js';
import { AssetRepository } from '../db/repositories/asset.repository.js';
import { DuplicateRepository } from '../db/repositories/duplicate.repository.js';
import { JobRepository } from '../db/repositories/job.repository.js';
import { LibraryRepository } from '../db/repositories/library.repository.js';
import { nearDuplicateCodec, NEAR_DUPLICATE_MAX_RADIUS } from '../domain/near-duplicate-codec.js';
import {
  DUPLICATE_SETTING_KEYS,
  DUPLICATE_THRESHOLD_KEYS,
  INSIGHT_SETTING_KEYS,
} from '../config/runtime-settings.js';
import { SettingsRepository } from '../db/repositories/settings.repository.js';
import { SettingsService } from '../services/settings.service.js';
import { InvalidInputError } from '../errors.js';
import { AppEvents } from '../events/app-events.js';
import { findExecutable } from '../fs/find-executable.js';
import { ThumbnailStore } from '../fs/thumbnail-store.js';
import { DiskSpaceMonitor } from '../fs/disk-space-monitor.js';
import { ActionRepository } from '../db/repositories/action.repository.js';
import { AuditRepository } from '../db/repositories/audit.repository.js';
import { CredentialRepository } from '../db/repositories/credential.repository.js';
import { TrashRepository } from '../db/repositories/trash.repository.js';
import { UserRepository } from '../db/repositories/user.repository.js';
import { createJobHandlers, type JobServices } from '../jobs/job-handlers.js';
import { ActionService } from '../services/action.service.js';
import { AuditService } from '../services/audit.service.js';
import { LibraryAccess } from '../services/library-access.js';
import { TrashService } from '../services/trash.service.js';
import type { JobHandlers } from '../jobs/job-registry.js';
import type { Logger } from '../logger.js';
import { DuplicateService } from '../services/duplicate.service.js';
import { IngestService } from '../services/ingest.service.js';
import { LibraryService } from '../services/library.service.js';
import { HammingNearDuplicateAnalysis } from '../services/near-duplicate-index.js';
import { ScanService } from '../services/scan.service.js';
import { createInsightServices, type InsightServices } from '../services/insight-wiring.js';
import { createQueue, type QueueWiring } from './queue-wiring.js';
import path from 'node:path';
import { ImmichPushRepository, ImmichRepository } from '../db/repositories/immich.repository.js';
import { ImmichWriter } from '../services/immich-writer.js';
import { loadOrCreateSecret } from '../fs/secret-file.js';
import { SecretBox } from '../immich/secret-box.js';
import { ImmichService } from '../services/immich.service.js';

/** Which part of the system this process plays (`all` = the embedded all-in-one `serve`). */
export type ProcessRole = 'all' | 'server' | 'worker' | 'scheduler';

export class SplitDeploymentConfigError extends InvalidInputError {
  constructor(role: ProcessRole, missing: string[]) {
    super(
      `photo-sync ${role} is part of the split deployment and needs ${missing.join(' and ')}: ` +
        'several processes share one PostgreSQL and one Redis. For a single process, use `photo-sync serve`.',
    );
  }
}

/** What every role shares: the database, repositories, services, events and the job queue. */
export interface Core {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly events: AppEvents;
  readonly repos: {
    assets: AssetRepository;
    libraries: LibraryRepository;
    jobs: JobRepository;
    duplicates: DuplicateRepository;
    users: UserRepository;
    credentials: CredentialRepository;
    actions: ActionRepository;
  };
  readonly access: LibraryAccess;
  readonly audit: AuditService;
  /** Runtime settings (stored overrides of the environment's thresholds, rules, schedules…). */
  readonly settings: SettingsService;
  readonly actions: ActionService;
  readonly trash: TrashService;
  readonly immich: ImmichService;
  readonly immichWriter: ImmichWriter;
  readonly thumbnails: ThumbnailStore;
  /** Free space of the disks this process writes to; a full one pauses the work that writes. */
  readonly disk: DiskSpaceMonitor;
  /** ffmpeg where this process reads media (null elsewhere, or when it is not installed). */
  readonly ffmpegPath: string | null;
  readonly ingest: IngestService;
  readonly libraries: LibraryService;
  readonly duplicates: DuplicateService;
  /** Versions, bursts, quality, suggestions and the triage summary. */
  readonly insight: InsightServices;
  readonly handlers: JobHandlers;
  readonly queue: QueueWiring;
  close(): Promise<void>;
}

export function assertSplitDeploymentConfig(config: Config, role: ProcessRole): void {
  if (role === 'all') return;
  const missing = [];
  if (!config.databaseUrl) missing.push('DATABASE_URL');
  if (!config.redisUrl) missing.push('REDIS_URL');
  if (missing.length > 0) throw new SplitDeploymentConfigError(role, missing);
}

export async function createCore(config: Config, log: Logger, role: ProcessRole): Promise<Core> {
  assertSplitDeploymentConfig(config, role);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    preparedStatements: config.databasePreparedStatements,
  });
  try {
    if (role === 'all') {
      const applied = await migrateToLatest(database.db);
      log.info({ backend: database.backend, location: database.location, applied }, 'database ready');
    } else {
      await assertSchemaCurrent(database.db);
      log.info({ backend: database.backend, location: database.location, role }, 'database ready');
    }
  } catch (err) {
    await database.close();
    throw err;
  }

  // Only processes that read media look for ffmpeg (the server and scheduler images lack it).
  const readsMedia = role === 'all' || role === 'worker';
  const ffprobePath = readsMedia
    ? (config.ffprobePath ?? (await findExecutable('ffprobe', config.executableSearchPath)))
    : null;
  const ffmpegPath = readsMedia
    ? (config.ffmpegPath ?? (await findExecutable('ffmpeg', config.executableSearchPath)))
    : null;
  if (readsMedia && (!ffprobePath || !ffmpegPath))
    log.warn('ffmpeg/ffprobe not found: videos are indexed without thumbnails. Install ffmpeg and rescan.');

  const pgliteDir =
    database.backend === 'pglite' && path.isAbsolute(database.location) ? database.location : null;
  const disk = new DiskSpaceMonitor({
    paths: [
      config.dataDir,
      path.join(config.dataDir, 'thumbs'),
      path.join(config.dataDir, 'previews'),
      ...(pgliteDir ? [pgliteDir] : []),
    ],
    databaseDir: pgliteDir,
    floorBytes: config.diskFreeFloorBytes,
    log: log.child({ component: 'disk' }),
  });
  await disk.start();

  const events = new AppEvents();
  const repos = {
    assets: new AssetRepository(database.db),
    libraries: new LibraryRepository(database.db),
    jobs: new JobRepository(database.db),
    duplicates: new DuplicateRepository(database.db),
    users: new UserRepository(database.db),
    credentials: new CredentialRepository(database.db),
    actions: new ActionRepository(database.db),
  };
  const thumbnails = new ThumbnailStore(config.dataDir);
  // Loaded on first use: the server and scheduler never read images (their images lack libvips).
  const analyze = async (p: string) => {
    const { analyzeFile } = await import('../media/analyze-file.js');
    return analyzeFile(p, { thumbnailSize: config.thumbnailSize, ffprobePath, ffmpegPath });
  };
  const ingest = new IngestService(repos.assets, thumbnails, analyze, log.child({ component: 'ingest' }));
  const scan = new ScanService(repos.libraries, repos.assets, ingest, events, {
    ingestConcurrency: config.ingestConcurrency,
    ingestBatchSize: config.ingestBatchSize,
    ffmpegAvailable: ffmpegPath !== null && ffprobePath !== null,
  });
  // Handlers reach the duplicate service through `services`, which needs the queue itself.
  const services = { scan } as JobServices;
  const handlers = createJobHandlers(services);
  const queue = createQueue({ config, database, jobs: repos.jobs, events, handlers, log, disk });
  const access = new LibraryAccess(repos.libraries, events);
  const audit = new AuditService(new AuditRepository(database.db));
  const settings = new SettingsService(
    new SettingsRepository(database.db),
    config.runtimeDefaults,
    config.insights,
    audit,
    events,
    log.child({ component: 'settings' }),
  );
  // Connector credentials are sealed with SECRETS_KEY, else with a key kept in the data dir.
  const secrets = new SecretBox(
    config.secretsKey ?? (await loadOrCreateSecret(path.join(config.dataDir, 'secrets-key'))),
  );
  const immichRepo = new ImmichRepository(database.db);
  const immich = new ImmichService(
    immichRepo,
    repos.libraries,
    repos.assets,
    thumbnails,
    secrets,
    access,
    queue.queue,
    audit,
    events,
    async (bytes, source) => {
      const { analyzeRendition } = await import('../media/analyze-rendition.js');
      return analyzeRendition(bytes, source, config.thumbnailSize);
    },
    { pageSize: 1000, concurrency: Math.max(2, config.ingestConcurrency) },
  );
  services.immich = immich;
  const immichWriter = new ImmichWriter(
    (lib) => immich.clientFor(lib),
    immichRepo,
    new ImmichPushRepository(database.db),
    repos.libraries,
    access,
    queue.queue,
    audit,
    events,
  );
  services.immichWriter = immichWriter;
  const actions = new ActionService(
    repos.actions,
    new TrashRepository(database.db),
    repos.libraries,
    access,
    queue.queue,
    audit,
    events,
    immichWriter,
  );
  const trash = new TrashService(
    new TrashRepository(database.db),
    repos.actions,
    repos.assets,
    access,
    queue.queue,
    audit,
    events,
    async () => (await settings.effective()).trashRetentionDays,
    { writer: immichWriter, libraries: repos.libraries },
  );
  services.actions = actions;
  services.trash = trash;
  const near = new HammingNearDuplicateAnalysis(
    repos.duplicates,
    nearDuplicateCodec,
    NEAR_DUPLICATE_MAX_RADIUS,
  );
  const duplicates = new DuplicateService(repos.duplicates, near, settings, queue.queue, access, actions);
  services.duplicates = duplicates;
  const insight = createInsightServices(
    database.db,
    async () => (await settings.effective()).insights,
    queue.queue,
    duplicates,
    access,
    actions,
    immichWriter,
  );
  services.insights = insight.insights;
  // A change takes effect at the next run of each service; these start that run now.
  settings.onChange(async (keys) => {
    const has = (list: readonly string[]) => keys.some((k) => list.includes(k));
    if (has(DUPLICATE_THRESHOLD_KEYS)) await duplicates.rematchAll();
    else if (has(DUPLICATE_SETTING_KEYS)) await duplicates.requestAnalysis();
    if (has(INSIGHT_SETTING_KEYS))
      for (const lib of await repos.libraries.list()) await insight.insights.requestAnalysis(lib.id);
  });
  const libraries = new LibraryService(
    repos.libraries,
    repos.users,
    queue.queue,
    access,
    audit,
    events,
    { dataDir: config.dataDir, libraryBase: config.libraryBase },
    (fn) => withAdvisoryLock(database, 'library-roots', fn),
  );
  services.libraries = libraries;

  return {
    config,
    database,
    events,
    repos,
    thumbnails,
    disk,
    ffmpegPath,
    ingest,
    libraries,
    duplicates,
    insight,
    access,
    audit,
    settings,
    actions,
    trash,
    immich,
    immichWriter,
    handlers,
    queue,
    async close() {
      disk.stop();
      await queue.close();
      await database.close();
    },
  };
}
