import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { createFreshPostgresDatabase, postgresUrl } from './test-database.js';

export interface TestApp {
  app: App;
  baseUrl: string;
  dataDir: string;
  /** DATABASE_URL of this app's own fresh database, or undefined on PGlite. */
  databaseUrl: string | undefined;
  get<T>(urlPath: string): Promise<{ status: number; body: T; headers: Headers }>;
  stop(): Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `photosync-${prefix}-`));
}

/** The real all-in-one app on a random port, with its own data dir and database. */
export async function startTestApp(
  opts: { libraryRoots?: string[]; watch?: boolean } = {},
): Promise<TestApp> {
  const dataDir = await makeTempDir('data');
  const fresh = postgresUrl ? await createFreshPostgresDatabase(postgresUrl) : null;
  const config = loadConfig(
    { PATH: process.env.PATH },
    {
      DATA_DIR: dataDir,
      DATABASE_URL: fresh?.url,
      PORT: 0,
      LIBRARY: opts.libraryRoots ?? [],
      WATCH: opts.watch ?? false,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
  );
  const app = await createApp(config, createLogger(config.logLevel));
  await app.start();
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    dataDir,
    databaseUrl: fresh?.url,
    async get<T>(urlPath: string) {
      const res = await fetch(baseUrl + urlPath);
      const type = res.headers.get('content-type') ?? '';
      const body = (type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer())) as T;
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await app.stop();
      await fresh?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
