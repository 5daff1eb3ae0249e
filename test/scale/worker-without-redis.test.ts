import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisBackoffMs } from '../../src/jobs/bullmq/redis-health.js';
import { runCli, spawnCli } from '../support/cli-process.js';
import { PrivateRedis, redisServerAvailable } from '../support/redis-server.js';
import { eventually, makeTempDir } from '../support/test-app.js';
import { createFreshPostgresDatabase, postgresUrl } from '../support/test-database.js';

const skipReason = !postgresUrl
  ? 'worker-without-redis skipped: set DATABASE_URL (PostgreSQL) to run it (.ci/run does)'
  : redisServerAvailable
    ? null
    : 'worker-without-redis skipped: no redis-server binary';
if (skipReason) console.warn(skipReason);

/** Compose gives the worker `stop_grace_period: 60s`; it must exit well inside it. */
const GRACE_MS = 60_000;

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

interface LogLine {
  level: number;
  time: number;
  msg: string;
  attempt?: number;
  retryInMs?: number;
}

describe.skipIf(skipReason !== null)('a worker whose REDIS_URL points at a closed port', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  let redis: PrivateRedis | null = null;

  beforeAll(async () => {
    dir = await makeTempDir('worker-no-redis');
    const db = await createFreshPostgresDatabase(postgresUrl as string);
    drop = db.drop;
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      QUEUE_PREFIX: `pstest-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dir,
      HEARTBEAT_FILE: path.join(dir, 'heartbeat'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
    };
    const migrated = await runCli(['migrate'], { env });
    if (migrated.code !== 0) throw new Error(`migrate failed:\n${migrated.stderr}`);
  });

  afterAll(async () => {
    await redis?.kill();
    await drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('logs one JSON warning per backoff step, is unhealthy, becomes healthy with Redis, and exits on SIGTERM', async () => {
    const heartbeat = env.HEARTBEAT_FILE as string;
    // A heartbeat left fresh by an earlier, healthy run: the unreachable worker must take it away.
    await fs.writeFile(heartbeat, new Date().toISOString());
    const child = spawnCli(['worker'], { env });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
      child.on('exit', (code, signal) => {
        resolve({ code, signal, at: Date.now() });
      }),
    );
    const lines = (): LogLine[] =>
      out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          try {
            return JSON.parse(l) as LogLine;
          } catch {
            throw new Error(`not a JSON log line: ${l}\n--- output:\n${out.slice(0, 4000)}`);
          }
        });
    const warnings = () => lines().filter((l) => l.msg === 'Redis unreachable; retrying');
    try {
      // Steps of 250, 500, 1000, 2000 ms: the fifth warning comes about 3.75 s after the first.
      await eventually(
        async () => Promise.resolve(warnings().length >= 5 ? true : undefined),
        60_000,
        'five warnings',
      );
      const w = warnings();
      expect(w.map((l) => l.attempt)).toEqual(w.map((_, i) => i + 1));
      for (let i = 1; i < w.length; i++) {
        const prev = w[i - 1] as LogLine;
        expect(prev.retryInMs).toBe(redisBackoffMs(i));
        // One line per step: never two within a step (50 ms of timer slack allowed).
        expect((w[i] as LogLine).time - prev.time).toBeGreaterThanOrEqual((prev.retryInMs ?? 0) - 50);
      }
      expect(w.every((l) => l.level === 40)).toBe(true);
      expect(lines().some((l) => /cannot reach Redis: unhealthy/.test(l.msg))).toBe(true);
      expect(lines().some((l) => l.msg === 'photo-sync worker is running')).toBe(false);
      await expect(fs.stat(heartbeat)).rejects.toMatchObject({ code: 'ENOENT' });

      // Redis appears on that port: the worker recovers and its heartbeat comes back.
      redis = await PrivateRedis.start(Number(new URL(env.REDIS_URL as string).port));
      await eventually(
        async () => ((await fs.stat(heartbeat).catch(() => null)) ? true : undefined),
        30_000,
        'the heartbeat once Redis answers',
      );
      expect(lines().some((l) => l.msg === 'Redis reachable again')).toBe(true);

      // Redis goes away again: the next beat removes the heartbeat; SIGTERM still ends the worker.
      await redis.kill();
      redis = null;
      await eventually(
        async () => ((await fs.stat(heartbeat).catch(() => null)) ? undefined : true),
        30_000,
        'the heartbeat to go once Redis is gone',
      );
      const sent = Date.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
      const end = await exited;
      clearTimeout(killer);
      expect(end).toMatchObject({ code: 0, signal: null });
      expect(end.at - sent).toBeLessThan(GRACE_MS);
      lines(); // still JSON to the last line
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
