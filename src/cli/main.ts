#!/usr/bin/env node
import { Command, Option } from 'commander';
import { loadConfig, type ConfigFlags } from '../config/config.js';
import { createLogger, type Logger } from '../logger.js';
import { setHeapGrowth } from './heap-growth.js';
import { validateLibraryRoot } from '../services/library.service.js';
import { runCommand } from './run-command.js';
import type { ScanCommandOptions } from './scan-command.js';

setHeapGrowth();

// Each command loads only what it needs (a headless `scan --exact-only` starts in milliseconds,
// without the database drivers, the HTTP server or libvips).

interface CommonOptions {
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
}

interface ServeOptions extends CommonOptions {
  library?: string[];
  host?: string;
  port?: string;
  watch?: boolean;
}

function commonFlags(o: CommonOptions): ConfigFlags {
  return { DATA_DIR: o.dataDir, DATABASE_URL: o.databaseUrl, LOG_LEVEL: o.logLevel };
}

const program = new Command('photo-sync')
  .description('Find duplicates, versions, bursts and bad shots in a photo library — and fix them safely.')
  .showHelpAfterError();

const withCommon = (cmd: Command) =>
  cmd
    .addOption(new Option('--data-dir <dir>', 'where the embedded database and thumbnails live (DATA_DIR)'))
    .addOption(
      new Option(
        '--database-url <url>',
        'use this PostgreSQL instead of the embedded database (DATABASE_URL)',
      ),
    )
    .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (LOG_LEVEL)'));

/** Within compose's shortest stop_grace_period (the default 10 s is for the server; workers 60 s). */
const SHUTDOWN_DEADLINE_MS = 45_000;

/**
 * Stops `stop` once on SIGINT/SIGTERM, then exits 0 (1 if stopping failed, or did not finish
 * within SHUTDOWN_DEADLINE_MS: a process that ignores SIGTERM only gets killed without a word).
 */
function exitOnSignal(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ signal, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** `serve` (all-in-one) and `server` (API of the split deployment). */
async function runHttp(opts: ServeOptions, role: 'all' | 'server'): Promise<void> {
  const config = loadConfig(process.env, {
    ...commonFlags(opts),
    LIBRARY: opts.library,
    HOST: opts.host,
    PORT: opts.port,
    WATCH: opts.watch === false ? false : undefined,
  });
  // Fail fast on a wrong folder, before opening the database.
  for (const root of config.libraryRoots) await validateLibraryRoot(root);
  const log = createLogger(config.logLevel);
  const { createApp } = await import('../app.js');
  const app = await createApp(config, log, role);
  exitOnSignal(log, () => app.stop());
  try {
    await app.start();
  } catch (err) {
    await app.stop().catch(() => undefined);
    throw err;
  }
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // libuv's default is 4; the launcher sets more unless the environment says otherwise.
  const threadPool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  log.info({ url: `http://${config.host}:${port}`, role, threadPool }, 'photo-sync is running');
}

async function runBackground(opts: CommonOptions, role: 'worker' | 'scheduler'): Promise<void> {
  const config = loadConfig(process.env, commonFlags(opts));
  const log = createLogger(config.logLevel).child({ role });
  const { createBackgroundProcess } = await import('../runtime/background-process.js');
  const proc = await createBackgroundProcess(config, log, role);
  exitOnSignal(log, () => proc.stop());
  try {
    await proc.start();
  } catch (err) {
    await proc.stop().catch(() => undefined);
    throw err;
  }
}

withCommon(program.command('serve'))
  .description('run everything in one process: API, jobs, scheduler and the file watcher (migrates first)')
  .option('--library <dir...>', 'library folder(s) to index (LIBRARY)')
  .option('--host <host>', 'interface to listen on (HOST)')
  .option('--port <port>', 'port to listen on (PORT)')
  .option('--no-watch', 'do not watch library folders for changes (WATCH=false)')
  .action((opts: ServeOptions) => runCommand(() => runHttp(opts, 'all')));

withCommon(program.command('server'))
  .description('split deployment: the HTTP API only; jobs go to the workers (needs DATABASE_URL, REDIS_URL)')
  .option('--host <host>', 'interface to listen on (HOST)')
  .option('--port <port>', 'port to listen on (PORT)')
  .action((opts: ServeOptions) => runCommand(() => runHttp({ ...opts, watch: false }, 'server')));

withCommon(program.command('worker'))
  .description('split deployment: run jobs from the shared queues (needs DATABASE_URL, REDIS_URL)')
  .action((opts: CommonOptions) => runCommand(() => runBackground(opts, 'worker')));

withCommon(program.command('scheduler'))
  .description(
    'split deployment: periodic jobs; only one acts even if several run (needs DATABASE_URL, REDIS_URL)',
  )
  .action((opts: CommonOptions) => runCommand(() => runBackground(opts, 'scheduler')));

program
  .command('scan')
  .description('find duplicates in folders without a server or database, and write a report')
  .argument('<dir...>', 'folders to scan')
  .option('--report <file>', 'write the report to this file (JSON, or CSV with --format csv)')
  .option('--format <format>', 'json (default) or csv')
  .option('--threshold <percent>', 'similarity for near duplicates, 50–100 (DUPLICATE_THRESHOLD, default 95)')
  .option('--exact-only', 'only byte-identical files (fastest: most files are never read)')
  .action((dirs: string[], opts: ScanCommandOptions) =>
    runCommand(async () => {
      const { scanCommand } = await import('./scan-command.js');
      await scanCommand(dirs, opts, loadConfig(process.env));
    }),
  );

withCommon(program.command('migrate'))
  .description('bring the database schema to the latest version and exit')
  .action((opts: CommonOptions) =>
    runCommand(async () => {
      const config = loadConfig(process.env, commonFlags(opts));
      const log = createLogger(config.logLevel);
      const { openDatabase } = await import('../db/database.js');
      const { migrateToLatest } = await import('../db/migrate.js');
      const db = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        preparedStatements: config.databasePreparedStatements,
      });
      try {
        const applied = await migrateToLatest(db.db);
        log.info(
          { backend: db.backend, location: db.location, applied },
          applied.length ? 'migrations applied' : 'database already up to date',
        );
      } finally {
        await db.close();
      }
    }),
  );

withCommon(program.command('immich-connect'))
  .description(
    'connect an Immich server as a library (the key is checked, then stored sealed); run it while the server is stopped, or use the API',
  )
  .requiredOption('--url <url>', 'address of Immich, e.g. http://immich.local:2283')
  .option('--key-file <file>', 'file holding the API key (default: read it from standard input)')
  .option('--name <name>', 'library name')
  .option('--owner <email>', 'account that owns the library (default: the first administrator)')
  .action((opts: CommonOptions & { url: string; keyFile?: string; name?: string; owner?: string }) =>
    runCommand(async () => {
      const config = loadConfig(process.env, commonFlags(opts));
      const log = createLogger(config.logLevel);
      const { readFile } = await import('node:fs/promises');
      const { text } = await import('node:stream/consumers');
      const apiKey = (opts.keyFile ? await readFile(opts.keyFile, 'utf8') : await text(process.stdin)).trim();
      const { createCore } = await import('../runtime/core.js');
      const { InvalidInputError } = await import('../errors.js');
      const core = await createCore(config, log, 'all');
      try {
        const adminId = opts.owner ? null : await core.repos.users.firstAdminId();
        const owner = opts.owner
          ? await core.repos.users.findByEmail(opts.owner)
          : adminId
            ? await core.repos.users.findById(adminId)
            : undefined;
        if (!owner)
          throw new InvalidInputError(
            opts.owner
              ? `No account ${opts.owner}.`
              : 'No administrator yet: open the web app and create one first.',
          );
        const { library, check } = await core.immich.connect(
          { userId: owner.id, email: owner.email, role: owner.role, via: 'api-key' },
          { url: opts.url, apiKey, ...(opts.name ? { name: opts.name } : {}) },
          { ip: 'cli' },
        );
        process.stdout.write(`Connected ${library.name} (Immich ${check.version}), library ${library.id}.\n`);
        for (const p of check.missingPermissions)
          process.stdout.write(`  the key lacks ${p.permission}: needed to ${p.usedFor}\n`);
        process.stdout.write('The first read starts when photo-sync serve runs.\n');
      } finally {
        await core.close();
      }
    }),
  );

await program.parseAsync(process.argv);
