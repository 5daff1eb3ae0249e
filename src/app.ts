import type { FastifyInstance } from 'fastify';
import { buildServer } from './api/server.js';
import type { Config } from './config/config.js';
import type { DatabaseHandle } from './db/database.js';
import type { AppEvents } from './events/app-events.js';
import { LibraryWatcher } from './fs/library-watcher.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { Logger } from './logger.js';
import { createCore, type Core } from './runtime/core.js';
import { createScheduler } from './runtime/scheduled-tasks.js';
import { AssetService } from './services/asset.service.js';
import type { IngestStats } from './services/ingest-stats.js';
import { JobService } from './services/job.service.js';
import type { LibraryService } from './services/library.service.js';

export interface App {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly server: FastifyInstance;
  readonly queue: JobQueue;
  readonly libraries: LibraryService;
  readonly events: AppEvents;
  readonly ingestStats: IngestStats;
  /** Registers `--library` roots, starts jobs, watchers and (unless `listen: false`) the HTTP server. */
  start(opts?: { listen?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const DEGRADED_RESCAN_MS = 10 * 60 * 1000;

function buildHttp(core: Core, log: Logger): Promise<FastifyInstance> {
  return buildServer(
    {
      database: core.database,
      assets: new AssetService(core.repos.assets, core.thumbnails),
      jobs: new JobService(core.repos.jobs, core.queue.queue),
      libraries: core.libraries,
      duplicates: core.duplicates,
    },
    log,
  );
}

/**
 * `all` (photo-sync serve): the embedded all-in-one process — API, jobs, scheduler and watcher.
 * `server`: the API of the split deployment; it only enqueues, and hears every worker's events.
 */
export async function createApp(config: Config, log: Logger, role: 'all' | 'server' = 'all'): Promise<App> {
  const core = await createCore(config, log, role);
  const { libraries, queue } = core;
  const server = await buildHttp(core, log);
  const scheduler = role === 'all' ? createScheduler(core, log) : null;

  const timers: NodeJS.Timeout[] = [];
  const enqueueScan = (libraryId: string) => {
    libraries.requestScan(libraryId).catch((err: unknown) => {
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
    async start(opts = {}) {
      if (queue.transport === 'bullmq') await queue.startEventRelay({ listen: true });
      if (role === 'all') {
        for (const root of config.libraryRoots) await libraries.ensureForRoot(root);
        await queue.startWorkers();
        await scheduler?.start();
        // Every start reconciles: incremental, so only what changed while we were down is read.
        for (const lib of await libraries.list()) {
          await libraries.requestScan(lib.id);
          if (config.watch) await watcher.watch({ libraryId: lib.id, roots: lib.roots });
        }
      }
      if (opts.listen !== false) {
        await server.listen({ host: config.host, port: config.port });
      }
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      await server.close();
      await watcher.closeAll();
      await scheduler?.stop();
      await queue.stopWorkers();
      await core.close();
    },
  };
}
