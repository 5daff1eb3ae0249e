import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { AssetRepository } from './db/repositories/asset.repository.js';
import { JobRepository } from './db/repositories/job.repository.js';
import { LibraryRepository } from './db/repositories/library.repository.js';
import { AppEvents } from './events/app-events.js';
import { LiveEventHub } from './events/live-event-hub.js';
import { findExecutable } from './fs/find-executable.js';
import { LibraryWatcher } from './fs/library-watcher.js';
import { ThumbnailStore } from './fs/thumbnail-store.js';
import { InProcessQueue } from './jobs/in-process-queue.js';
import { createJobHandlers, type JobServices } from './jobs/job-handlers.js';
import { ActionRepository } from './db/repositories/action.repository.js';
import { TrashRepository } from './db/repositories/trash.repository.js';
import { ActionService } from './services/action.service.js';
import { TrashService } from './services/trash.service.js';
import type { Logger } from './logger.js';
import { analyzeFile } from './media/analyze-file.js';
import { buildServer } from './api/server.js';
import { AuditRepository } from './db/repositories/audit.repository.js';
import { CredentialRepository } from './db/repositories/credential.repository.js';
import { UserRepository } from './db/repositories/user.repository.js';
import { loadOrCreateSecret } from './fs/secret-file.js';
import { AuditService } from './services/audit.service.js';
import { AccessTokens } from './services/auth/access-token.js';
import { AuthService } from './services/auth/auth.service.js';
import { LoginRateLimiter } from './services/auth/login-rate-limiter.js';
import { PasswordHasher } from './services/auth/password-hasher.js';
import { LibraryAccess } from './services/library-access.js';
import { UserService } from './services/user.service.js';
import { AssetService } from './services/asset.service.js';
import { IngestService } from './services/ingest.service.js';
import type { IngestStats } from './services/ingest-stats.js';
import { JobService } from './services/job.service.js';
import { LibraryService } from './services/library.service.js';
import { ScanService } from './services/scan.service.js';
import { DuplicateService } from './services/duplicate.service.js';
import { HammingNearDuplicateAnalysis } from './services/near-duplicate-index.js';
import { DuplicateRepository } from './db/repositories/duplicate.repository.js';
import { createInsightServices } from './services/insight-wiring.js';
import {
  nearDuplicateCodec,
  NEAR_DUPLICATE_MAX_RADIUS,
  thresholdsForSettings,
} from './domain/near-duplicate-codec.js';

export interface App {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly server: FastifyInstance;
  readonly queue: InProcessQueue;
  readonly libraries: LibraryService;
  readonly events: AppEvents;
  readonly ingestStats: IngestStats;
  /** Registers `--library` roots, starts jobs, watchers and (unless `listen: false`) the HTTP server. */
  start(opts?: { listen?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const DEGRADED_RESCAN_MS = 10 * 60 * 1000;
const RECONCILE_MS = 24 * 60 * 60 * 1000;
const PURGE_MS = 24 * 60 * 60 * 1000;

/** Wires the all-in-one process: database, services, in-process jobs, watcher and HTTP API. */
export async function createApp(config: Config, log: Logger): Promise<App> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database.db);
    log.info({ backend: database.backend, location: database.location, applied }, 'database ready');
  } catch (err) {
    await database.close();
    throw err;
  }

  const ffprobePath = config.ffprobePath ?? (await findExecutable('ffprobe', config.executableSearchPath));
  const ffmpegPath = config.ffmpegPath ?? (await findExecutable('ffmpeg', config.executableSearchPath));
  if (!ffprobePath || !ffmpegPath)
    log.warn('ffmpeg/ffprobe not found: videos are indexed without thumbnails. Install ffmpeg and rescan.');

  const events = new AppEvents();
  const assetRepo = new AssetRepository(database.db);
  const libraryRepo = new LibraryRepository(database.db);
  const jobRepo = new JobRepository(database.db);
  const thumbnails = new ThumbnailStore(config.dataDir);
  const analyze = (p: string) =>
    analyzeFile(p, { thumbnailSize: config.thumbnailSize, ffprobePath, ffmpegPath });
  const ingest = new IngestService(assetRepo, thumbnails, analyze, log.child({ component: 'ingest' }));
  const scan = new ScanService(libraryRepo, assetRepo, ingest, events, {
    ingestConcurrency: config.ingestConcurrency,
    ffmpegAvailable: ffmpegPath !== null && ffprobePath !== null,
  });
  // Handlers reach the duplicate service through `services`, which needs the queue itself.
  const services = { scan } as JobServices;
  const queue = new InProcessQueue(
    jobRepo,
    createJobHandlers(services),
    events,
    log.child({ component: 'jobs' }),
  );
  const duplicateRepo = new DuplicateRepository(database.db);
  const thresholds = thresholdsForSettings(config.duplicateThreshold, config.similarThreshold);
  const near = new HammingNearDuplicateAnalysis(
    duplicateRepo,
    nearDuplicateCodec,
    thresholds,
    NEAR_DUPLICATE_MAX_RADIUS,
  );
  const userRepo = new UserRepository(database.db);
  const credentialRepo = new CredentialRepository(database.db);
  const access = new LibraryAccess(libraryRepo, events);
  const audit = new AuditService(new AuditRepository(database.db));
  const actionRepo = new ActionRepository(database.db);
  services.actions = new ActionService(
    actionRepo,
    new TrashRepository(database.db),
    libraryRepo,
    access,
    queue,
    audit,
    events,
  );
  services.trash = new TrashService(
    new TrashRepository(database.db),
    actionRepo,
    assetRepo,
    access,
    queue,
    audit,
    events,
    config.trashRetentionDays,
  );
  const duplicates = new DuplicateService(
    duplicateRepo,
    near,
    config.keeperRules,
    queue,
    access,
    services.actions,
  );
  services.duplicates = duplicates;
  const insight = createInsightServices(database.db, config.insights, queue, duplicates);
  services.insights = insight.insights;
  const libraries = new LibraryService(
    libraryRepo,
    userRepo,
    queue,
    access,
    audit,
    events,
    config.libraryBase,
  );

  // Production refuses to start without JWT_SECRET (config); elsewhere one is kept in the data dir.
  const jwtSecret =
    config.auth.jwtSecret ?? (await loadOrCreateSecret(path.join(config.dataDir, 'jwt-secret')));
  const hasher = new PasswordHasher();
  const windowMs = config.auth.loginWindowMinutes * 60_000;
  const auth = new AuthService(
    userRepo,
    credentialRepo,
    hasher,
    new AccessTokens(jwtSecret, config.auth.accessTokenTtlSeconds),
    {
      perIp: new LoginRateLimiter(config.auth.loginMaxAttemptsPerIp, windowMs),
      perAccount: new LoginRateLimiter(config.auth.loginMaxAttemptsPerAccount, windowMs),
    },
    config.auth.refreshTokenTtlDays,
    log.child({ component: 'auth' }),
  );
  const liveEvents = new LiveEventHub(
    events,
    config.http.sseReplaySize,
    config.http.sseHeartbeatSeconds * 1000,
  );
  const server = await buildServer(
    {
      database,
      auth,
      users: new UserService(userRepo, credentialRepo, hasher, audit, events),
      audit,
      access,
      liveEvents,
      assets: new AssetService(assetRepo, thumbnails, access),
      jobs: new JobService(jobRepo, actionRepo, access, queue),
      actions: services.actions,
      trash: services.trash,
      libraries,
      duplicates,
      ...insight,
      cookieSecure: config.auth.cookieSecure,
    },
    log,
    config.http,
  );

  const timers: NodeJS.Timeout[] = [];
  const enqueueSync = (libraryId: string, paths: string[]) => {
    queue.enqueue('library.sync-paths', { libraryId, paths }, { libraryId }).catch((err: unknown) => {
      log.error({ err, libraryId }, 'could not queue watcher changes');
    });
  };
  const enqueueScan = (libraryId: string) => {
    libraries.requestSystemScan(libraryId).catch((err: unknown) => {
      log.error({ err, libraryId }, 'could not queue a scan');
    });
  };
  const watcher = new LibraryWatcher(
    {
      onChanges: enqueueSync,
      onDegraded: (libraryId) => {
        timers.push(
          setInterval(() => {
            enqueueScan(libraryId);
          }, DEGRADED_RESCAN_MS).unref(),
        );
      },
    },
    log.child({ component: 'watcher' }),
  );

  return {
    config,
    database,
    server,
    queue,
    libraries,
    events,
    ingestStats: ingest.stats,
    async start(opts = {}) {
      for (const root of config.libraryRoots) await libraries.ensureForRoot(root);
      await queue.start();
      // Every start reconciles: incremental, so only what changed while we were down is read.
      for (const lib of await libraries.listAll()) {
        await libraries.requestSystemScan(lib.id);
        if (config.watch) await watcher.watch({ libraryId: lib.id, roots: lib.roots });
        timers.push(
          setInterval(() => {
            enqueueScan(lib.id);
          }, RECONCILE_MS).unref(),
        );
      }
      // The trash empties itself: files older than TRASH_RETENTION_DAYS are purged daily.
      const purge = () => {
        services.trash.requestScheduledPurge().catch((err: unknown) => {
          log.error({ err }, 'could not queue the trash purge');
        });
      };
      purge();
      timers.push(setInterval(purge, PURGE_MS).unref());
      if (opts.listen !== false) {
        await server.listen({ host: config.host, port: config.port });
        if (await auth.setupRequired())
          log.info(
            'no account yet: open the web app (or POST /api/auth/setup) to create the first administrator',
          );
      }
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      liveEvents.close();
      await server.close();
      await watcher.closeAll();
      await queue.stop();
      await database.close();
    },
  };
}
