import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { createFreshPostgresDatabase, postgresUrl, seedPgliteDataDir } from './test-database.js';

/** A signed-in account of the test app. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
}

export interface TestResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  /** Who calls: the admin by default, `null` for an anonymous request. */
  as?: TestUser | null;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: App;
  baseUrl: string;
  dataDir: string;
  /** DATABASE_URL of this app's own fresh database, or undefined on PGlite. */
  databaseUrl: string | undefined;
  /** The first-run administrator, created through POST /api/auth/setup; owns `--library` roots. */
  admin: TestUser;
  /** GET as the admin (or as `as`). */
  get<T>(urlPath: string, as?: TestUser | null): Promise<TestResponse<T>>;
  request<T>(method: string, urlPath: string, opts?: RequestOptions): Promise<TestResponse<T>>;
  /** Creates an account through the admin API and signs it in. */
  createUser(email: string, role?: 'admin' | 'user'): Promise<TestUser>;
  login(email: string, password: string): Promise<TestUser>;
  stop(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A request to a running server; JSON in and out, raw bytes for anything else. */
export async function httpRequest<T>(
  baseUrl: string,
  method: string,
  urlPath: string,
  opts: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(baseUrl + urlPath, {
    method,
    headers,
    ...(opts.body !== undefined
      ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
      : {}),
  });
  const type = res.headers.get('content-type') ?? '';
  const raw = Buffer.from(await res.arrayBuffer());
  const text = () => raw.toString('utf8');
  const body = (
    type.includes('json') && raw.length > 0 ? JSON.parse(text()) : type.startsWith('text/') ? text() : raw
  ) as T;
  return { status: res.status, body, headers: res.headers };
}

interface SessionJson {
  user: { id: string; email: string };
  accessToken: string;
}

/** Creates the first administrator of a fresh server (POST /api/auth/setup). */
export async function setupAdmin(baseUrl: string, email = 'admin@example.com'): Promise<TestUser> {
  const res = await httpRequest<SessionJson>(baseUrl, 'POST', '/api/auth/setup', {
    body: { email, name: 'Admin', password: TEST_PASSWORD },
  });
  if (res.status !== 201) throw new Error(`set-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, password: TEST_PASSWORD, accessToken: res.body.accessToken };
}

export async function loginAs(baseUrl: string, email: string, password = TEST_PASSWORD): Promise<TestUser> {
  const res = await httpRequest<SessionJson>(baseUrl, 'POST', '/api/auth/login', {
    body: { email, password },
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, password, accessToken: res.body.accessToken };
}

export async function makeTempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `photosync-${prefix}-`));
}

/** The real all-in-one app on a random port, with its own data dir and database. */
export async function startTestApp(
  opts: { libraryRoots?: string[]; watch?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const dataDir = await makeTempDir('data');
  const fresh = postgresUrl ? await createFreshPostgresDatabase(postgresUrl, { migrated: true }) : null;
  if (!fresh) await seedPgliteDataDir(dataDir);
  const config = loadConfig(
    { PATH: process.env.PATH },
    {
      DATA_DIR: dataDir,
      DATABASE_URL: fresh?.url,
      PORT: 0,
      LIBRARY: opts.libraryRoots ?? [],
      WATCH: opts.watch ?? false,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...opts.env,
    },
  );
  const app = await createApp(config, createLogger(config.logLevel));
  await app.start();
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const admin = await setupAdmin(baseUrl);
  const request = <T>(method: string, urlPath: string, o: RequestOptions = {}) =>
    httpRequest<T>(baseUrl, method, urlPath, {
      body: o.body,
      token: o.as === null ? null : (o.as ?? admin).accessToken,
      ...(o.headers ? { headers: o.headers } : {}),
    });
  return {
    app,
    baseUrl,
    dataDir,
    databaseUrl: fresh?.url,
    admin,
    get: <T>(urlPath: string, as?: TestUser | null) => request<T>('GET', urlPath, { as }),
    request,
    async createUser(email: string, role: 'admin' | 'user' = 'user') {
      const res = await request('POST', '/api/users', {
        body: { email, name: email.split('@')[0], password: TEST_PASSWORD, role },
      });
      if (res.status !== 201)
        throw new Error(`could not create ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return loginAs(baseUrl, email);
    },
    login: (email: string, password: string) => loginAs(baseUrl, email, password),
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
