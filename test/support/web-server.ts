import fs from 'node:fs/promises';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
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
  const config = loadConfig(
    // Without ffmpeg: an empty search path, as on a machine where it is not installed.
    { PATH: opts.withoutFfmpeg ? '' : process.env.PATH },
    {
      DATA_DIR: dataDir,
      DATABASE_URL: fresh?.url,
      PORT: 0,
      LIBRARY: [],
      WATCH: false,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
  );
  const app = await createApp(config, createLogger(config.logLevel));
  await app.start();
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    dataDir,
    async stop() {
      await app.stop();
      await fresh?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
