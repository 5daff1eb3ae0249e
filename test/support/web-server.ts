import fs from 'node:fs/promises';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type ConfigFlags } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { createFreshPostgresDatabase, postgresUrl, seedPgliteDataDir } from './test-database.js';
import { makeTempDir } from './test-app.js';

export interface FreshServer {
  app: App;
  baseUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The real all-in-one server on a random port with an empty database and no user yet, so a
 * browser test starts at first run like a new installation does.
 */
export async function startFreshServer(opts: { withoutFfmpeg?: boolean } = {}): Promise<FreshServer> {
  const dataDir = await makeTempDir('web-data');
  const fresh = postgresUrl ? await createFreshPostgresDatabase(postgresUrl, { migrated: true }) : null;
  if (!fresh) await seedPgliteDataDir(dataDir);
  const { app, baseUrl } = await startServerOn(
    dataDir,
    { DATABASE_URL: fresh?.url, LIBRARY: [] },
    // Without ffmpeg: an empty search path, as on a machine where it is not installed.
    opts.withoutFfmpeg ? '' : process.env.PATH,
  );
  return {
    app,
    baseUrl,
    dataDir,
    async stop() {
      await app.stop();
      await fresh?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The real all-in-one server on a random port, over `dataDir` and the given settings. */
export async function startServerOn(
  dataDir: string,
  flags: ConfigFlags = {},
  searchPath = process.env.PATH,
): Promise<{ app: App; baseUrl: string }> {
  const config = loadConfig(
    { PATH: searchPath },
    { DATA_DIR: dataDir, PORT: 0, WATCH: false, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...flags },
  );
  const app = await createApp(config, createLogger(config.logLevel));
  await app.start();
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}
