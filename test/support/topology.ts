import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { Redis } from 'ioredis';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import path from 'node:path';
import { runCli, spawnCli } from './cli-process.js';
import { makeJpeg, writeFileDeep } from './images.js';
import { eventually, makeTempDir } from './test-app.js';
import { createFreshPostgresDatabase, postgresUrl } from './test-database.js';

/** Redis of the scale-out suites (CI sets it); undefined = those suites skip, saying why. */
export const redisUrl: string | undefined = process.env.REDIS_URL || undefined;

export const scaleOutSkipReason =
  postgresUrl && redisUrl
    ? null
    : 'scale-out suite skipped: set DATABASE_URL (PostgreSQL) and REDIS_URL (Redis) to run it (.ci/run does)';

export interface RoleProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

/** A temporary folder of `count` distinct camera-like JPEGs (IMG_<seed+i>.JPG). */
export async function writePhotoFolder(
  prefix: string,
  count: number,
  o: { seed: number; width: number; height: number },
): Promise<string> {
  const root = await makeTempDir(prefix);
  for (let i = 0; i < count; i++)
    await writeFileDeep(
      path.join(root, `IMG_${o.seed + i}.JPG`),
      await makeJpeg({ seed: o.seed + i, width: o.width, height: o.height }),
    );
  return root;
}

/**
 * A split deployment of real processes (the compiled CLI) on a fresh PostgreSQL database and
 * its own key prefix on Redis, so suites can share one Redis server without seeing each other.
 */
export class Topology {
  private readonly processes: RoleProcess[] = [];

  private constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly dataDir: string,
    readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async create(opts: { redisUrl: string; env?: NodeJS.ProcessEnv }): Promise<Topology> {
    if (!postgresUrl) throw new Error('Topology needs DATABASE_URL');
    const fresh = await createFreshPostgresDatabase(postgresUrl);
    const dataDir = await makeTempDir('topology');
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: fresh.url,
      REDIS_URL: opts.redisUrl,
      QUEUE_PREFIX: `pstest-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // Every server replica signs and checks tokens with the same secret.
      JWT_SECRET: randomBytes(32).toString('hex'),
      ...opts.env,
    };
    const t = new Topology(env, dataDir, fresh.url, fresh.drop);
    const migrated = await runCli(['migrate'], { env });
    if (migrated.code !== 0) throw new Error(`migrate failed:\n${migrated.stderr}`);
    return t;
  }

  start(role: 'server' | 'worker' | 'scheduler', name: string, env: NodeJS.ProcessEnv = {}): RoleProcess {
    const args = role === 'server' ? ['server', '--port', '0'] : [role];
    const child = spawnCli(args, { env: { ...this.env, ...env } });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        resolve(code);
      }),
    );
    const proc: RoleProcess = { name, child, output: () => out, exited };
    this.processes.push(proc);
    return proc;
  }

  /** Waits for a log line matching `re` from `proc` (or fails naming what it printed). */
  async waitForLog(proc: RoleProcess, re: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(proc.output());
      if (m) return m[0];
      if (proc.child.exitCode !== null)
        throw new Error(
          `${proc.name} exited (${proc.child.exitCode}) before /${re.source}/:\n${proc.output()}`,
        );
      if (Date.now() > deadline)
        throw new Error(`${proc.name}: no /${re.source}/ in ${timeoutMs} ms:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The base URL of a server process once it listens. */
  async serverUrl(proc: RoleProcess): Promise<string> {
    const line = await this.waitForLog(proc, /"url":"(http:\/\/[^"]+)"[^\n]*photo-sync is running/);
    return (/"url":"(http:\/\/[^"]+)"/.exec(line) as RegExpExecArray)[1] as string;
  }

  /**
   * Creates the first administrator (once) and signs in: the bearer headers for API calls.
   * Works through any replica or proxy at `baseUrl` (`fetchImpl` for HTTPS with a private CA).
   */
  async signIn(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<Record<string, string>> {
    const credentials = { email: 'admin@example.org', password: 'correct horse battery staple' };
    const status = (await (await fetchImpl(`${baseUrl}/api/auth/status`)).json()) as {
      setupRequired: boolean;
    };
    if (status.setupRequired) {
      const setup = await fetchImpl(`${baseUrl}/api/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...credentials, name: 'Admin' }),
      });
      if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
    }
    const login = await fetchImpl(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    return { authorization: `Bearer ${accessToken}` };
  }

  /** POST /api/libraries: the new library's id and the id of the scan it queued. */
  async addLibrary(
    baseUrl: string,
    auth: Record<string, string>,
    root: string,
  ): Promise<{ id: string; scanJobId: string }> {
    const res = await fetch(`${baseUrl}/api/libraries`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ roots: [root] }),
    });
    if (res.status !== 201) throw new Error(`could not add ${root}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; scanJobId: string };
  }

  /** Polls the job row until it is completed; its status and progress columns. */
  async jobCompleted(db: DatabaseHandle, id: string, what: string, timeoutMs = 180_000) {
    return eventually(
      async () => {
        const job = await db.db
          .selectFrom('jobs')
          .select(['status', 'done', 'total', 'failed'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return job.status === 'completed' ? job : undefined;
      },
      timeoutMs,
      what,
    );
  }

  openDatabase(): Promise<DatabaseHandle> {
    return openDatabase({ databaseUrl: this.databaseUrl, dataDir: null });
  }

  async stop(proc: RoleProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), 20_000);
    const code = await proc.exited;
    clearTimeout(timer);
    return code;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.processes.map((p) => this.stop(p)));
    await this.dropDatabase();
    await fs.rm(this.dataDir, { recursive: true, force: true });
    if (this.env.REDIS_URL) await deleteKeys(this.env.REDIS_URL, `${this.env.QUEUE_PREFIX ?? ''}:*`);
  }
}

async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // A Redis that is gone has no keys to clean.
  } finally {
    redis.disconnect();
  }
}
