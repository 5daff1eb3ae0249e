import { AlbumRepository, FavouriteRepository } from './db/repositories/album.repository.js';
import { AlbumService, FavouriteService } from './services/album.service.js';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PageCache } from './api/page-cache.js';
import { buildServer } from './api/server.js';
import { coalesced, dataVersionOf } from './db/data-version.js';
import type { Config } from './config/config.js';
import type { DatabaseHandle } from './db/database.js';
import type { AppEvents } from './events/app-events.js';
import { LiveEventHub } from './events/live-event-hub.js';
import { LibraryWatcher } from './fs/library-watcher.js';
import { loadOrCreateSecret } from './fs/secret-file.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { Logger } from './logger.js';
import { createCore, type Core } from './runtime/core.js';
import { createPreviewService } from './runtime/preview-wiring.js';
import { createScheduler } from './runtime/scheduled-tasks.js';
import type { Scheduler } from './jobs/scheduler.js';
import { TimelineService } from './services/timeline.service.js';
import { TimelineRepository } from './db/repositories/timeline.repository.js';
import { ExploreRepository } from './db/repositories/explore.repository.js';
import { ExploreService } from './services/explore.service.js';
import { AssetService } from './services/asset.service.js';
import { AccessTokens } from './services/auth/access-token.js';
import { AuthService } from './services/auth/auth.service.js';
import { LoginRateLimiter } from './services/auth/login-rate-limiter.js';
import { PasswordHasher } from './services/auth/password-hasher.js';
import type { IngestStats } from './services/ingest-stats.js';
import { JobService } from './services/job.service.js';
import type { LibraryService } from './services/library.service.js';
import { UserService } from './services/user.service.js';

export interface App {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly server: FastifyInstance;
  readonly queue: JobQueue;
  readonly libraries: LibraryService;
  readonly events: AppEvents;
  readonly ingestStats: IngestStats;
  /** The cron scheduler of the all-in-one process (null for the split deployment's server). */
  readonly scheduler: Scheduler | null;
  /** The rendered-page cache of the list routes (its hit counts are in the bench). */
  readonly pages: PageCache;
  /** Registers `--library` roots, starts jobs, watchers and (unless `listen: false`) the HTTP server. */
  start(opts?: { listen?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const DEGRADED_RESCAN_MS = 10 * 60 * 1000;

async function buildHttp(
  core: Core,
  log: Logger,
  readsMedia = true,
): Promise<{ server: FastifyInstance; auth: AuthService; liveEvents: LiveEventHub; pages: PageCache }> {
  const { config, repos } = core;
  // Production refuses to start without JWT_SECRET (config); elsewhere one is kept in the data dir.
  // Server replicas must share it: the split deployment sets it for all of them.
  const jwtSecret =
    config.auth.jwtSecret ?? (await loadOrCreateSecret(path.join(config.dataDir, 'jwt-secret')));
  const hasher = new PasswordHasher();
  const windowMs = config.auth.loginWindowMinutes * 60_000;
  const auth = new AuthService(
    repos.users,
    repos.credentials,
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
    core.events,
    config.http.sseReplaySize,
    config.http.sseHeartbeatSeconds * 1000,
  );
  const pages = new PageCache(
    core.access,
    coalesced(dataVersionOf(core.database.db)),
    config.http.responseCacheBytes,
  );
  const jobs = new JobService(repos.jobs, repos.actions, core.access, core.queue.queue, core.immichWriter);
  const server = await buildServer(
    {
      database: core.database,
      disk: core.disk,
      auth,
      users: new UserService(repos.users, repos.credentials, hasher, core.audit, core.events, (id) =>
        auth.endSessionsOf(id),
      ),
      audit: core.audit,
      access: core.access,
      liveEvents,
      assets: new AssetService(repos.assets, core.thumbnails, core.access),
      previews: createPreviewService(core, log.child({ component: 'previews' })),
      timeline: new TimelineService(new TimelineRepository(core.database.db), core.access),
      jobs,
      explore: new ExploreService(
        new ExploreRepository(core.database.db),
        repos.assets,
        jobs,
        core.access,
        readsMedia ? core.ffmpegPath !== null : null,
      ),
      actions: core.actions,
      trash: core.trash,
      immich: core.immich,
      immichWriter: core.immichWriter,
      settings: core.settings,
      libraries: core.libraries,
      duplicates: core.duplicates,
      ...core.insight,
      albums: new AlbumService(new AlbumRepository(core.database.db), core.access, core.audit),
      favourites: new FavouriteService(
        new FavouriteRepository(core.database.db),
        core.access,
        async (id) => (await repos.assets.findById(id))?.library_id ?? null,
      ),
      pages,
      cookieSecure: config.auth.cookieSecure,
    },
    log,
    config.http,
  );
  // An account deleted or its role changed: every request re-reads it (no stale rights).
  core.events.on('access.changed', (e) => {
    if (e.libraryId === null) auth.forgetAccounts();
  });
  return { server, auth, liveEvents, pages };
}

/**
 * `all` (photo-sync serve): the embedded all-in-one process — API, jobs, scheduler and watcher.
 * `server`: the API of the split deployment; it only enqueues, and hears every worker's events.
 */
export async function createApp(config: Config, log: Logger, role: 'all' | 'server' = 'all'): Promise<App> {
  const core = await createCore(config, log, role);
  const { libraries, queue } = core;
  const { server, auth, liveEvents, pages } = await buildHttp(core, log, role === 'all');
  const scheduler = role === 'all' ? createScheduler(core, log) : null;

  const timers: NodeJS.Timeout[] = [];
  const enqueueScan = (libraryId: string) => {
    libraries.requestSystemScan(libraryId).catch((err: unknown) => {
      log.error({ err, libraryId }, 'could not queue a scan');
    });
  };
  const watcher = new LibraryWatcher(
    {
      onChanges: (libraryId, paths) => {
        queue.queue
          .enqueue('library.sync-paths', { libraryId, paths }, { libraryId })
          .catch((err: unknown) => {
            log.error({ err, libraryId }, 'could not queue watcher changes');
          });
      },
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
    database: core.database,
    server,
    queue: queue.queue,
    libraries,
    events: core.events,
    ingestStats: core.ingest.stats,
    scheduler,
    pages,
    async start(opts = {}) {
      if (queue.transport === 'bullmq') await queue.startEventRelay({ listen: true });
      if (role === 'all') {
        // Libraries added or deleted through the API are watched (or no longer) at once.
        if (config.watch) {
          libraries.onCreated((lib) => {
            // Not awaited: a big tree takes a while to be ready, the request need not wait for it.
            watcher.watch({ libraryId: lib.id, roots: lib.roots }).catch((err: unknown) => {
              log.error({ err, libraryId: lib.id }, 'could not watch the new library');
            });
            return Promise.resolve();
          });
          libraries.onDeleted((id) => watcher.unwatch(id));
        }
        for (const root of config.libraryRoots) await libraries.ensureForRoot(root);
        await queue.startWorkers();
        // A deletion a crash interrupted continues (its library stayed hidden meanwhile).
        const resumed = await libraries.resumeDeletions();
        if (resumed > 0) log.info({ libraries: resumed }, 'unfinished library deletions resumed');
        await scheduler?.start();
        // Every start reconciles: incremental, so only what changed while we were down is read;
        // and the trash is purged of what outlived its retention while we were down.
        for (const lib of await libraries.listAll()) {
          await libraries.requestSystemScan(lib.id);
          if (config.watch) await watcher.watch({ libraryId: lib.id, roots: lib.roots });
        }
        await core.trash.requestScheduledPurge();
      }
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
      await scheduler?.stop();
      await queue.stopWorkers();
      await core.close();
    },
  };
}
