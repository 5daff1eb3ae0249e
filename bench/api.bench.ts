/**
 * npm run bench:api — API throughput and latency on 100,000 assets, PGlite and PostgreSQL.
 *
 * For each backend a child process serves the real app (seeded) and a bare Fastify route; this
 * process drives autocannon (50 connections) at the bare route (the ceiling), the timeline page
 * and the duplicates list, and prints req/s, p50/p99 and the ratio to the ceiling. Then 1,000 SSE
 * subscribers receive broadcasts; delivery p50/p99 and the server's RSS are printed.
 *
 * Env: BENCH_DURATION (s, default 10), SEED_ASSETS (100000), SSE_SUBSCRIBERS (1000),
 * DATABASE_URL (PostgreSQL server; default postgres://postgres@127.0.0.1:5432/postgres; skipped
 * with a note when unreachable).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const SEED = Number(process.env.SEED_ASSETS ?? 100_000);
const SUBSCRIBERS = Number(process.env.SSE_SUBSCRIBERS ?? 1000);
const PG_BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 50;

interface Server {
  child: ChildProcess;
  base: string;
  bare: string;
  token: string;
  libraryId: string;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'api-server.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // The app logs on stdout too: the address line is the one with `barePort`.
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (l) => {
      if (l.includes('"barePort"')) resolve(l);
    });
    child.once('exit', (code) => {
      reject(new Error(`bench server exited with ${code}`));
    });
  });
  const { port, barePort } = JSON.parse(line) as { port: number; barePort: number };
  const base = `http://127.0.0.1:${port}`;
  const setup = await fetch(`${base}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', name: 'Bench', password: 'benchmark password' }),
  });
  const { accessToken } = (await setup.json()) as { accessToken: string };
  const libs = (await (
    await fetch(`${base}/api/libraries`, { headers: { authorization: `Bearer ${accessToken}` } })
  ).json()) as { items: { id: string }[] };
  return {
    child,
    base,
    bare: `http://127.0.0.1:${barePort}`,
    token: accessToken,
    libraryId: libs.items[0]!.id,
  };
}

async function stopServer(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

async function rssMb(pid: number | undefined): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, token?: string): Promise<Load> {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  // A short warm-up (JIT, connection pools, caches), then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

function row(name: string, l: Load, ceiling: Load | null): string {
  const ratio = ceiling ? `${((100 * l.rps) / ceiling.rps).toFixed(0)}%` : '100%';
  return `  ${name.padEnd(34)} ${l.rps.toFixed(0).padStart(8)} req/s   p50 ${String(l.p50).padStart(4)} ms   p99 ${String(l.p99).padStart(4)} ms   ${ratio.padStart(5)} of bare${l.errors ? `   (${l.errors} errors/non-2xx!)` : ''}`;
}

/** Opens `n` SSE streams; each resolves the round's waiter when its next job.progress arrives. */
async function sse(s: Server, n: number) {
  const arrivals: number[][] = [];
  /** Heartbeat fan-out: arrival wall clock minus the server's `at` stamp (same machine clock). */
  const beats: number[] = [];
  let connected = false;
  let round = -1;
  const sockets: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(
            `${s.base}/api/events`,
            { agent: false, headers: { authorization: `Bearer ${s.token}` } },
            (res) => {
              res.setEncoding('utf8');
              res.once('data', () => {
                resolve();
              });
              res.on('data', (chunk: string) => {
                if (round >= 0 && chunk.includes('event: job.progress'))
                  arrivals[round]?.push(performance.now());
                const beat = /event: heartbeat\ndata: \{"at":"([^"]+)"\}/.exec(chunk);
                if (connected && beat?.[1]) beats.push(Date.now() - Date.parse(beat[1]));
              });
            },
          );
          req.on('error', reject);
          sockets.push(req);
        }),
    ),
  );
  connected = true;
  return {
    beats,
    async broadcast(): Promise<number[]> {
      round++;
      arrivals[round] = [];
      const t0 = performance.now();
      await fetch(`${s.base}/api/libraries/${s.libraryId}/scan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}` },
      });
      const deadline = Date.now() + 10_000;
      while ((arrivals[round]?.length ?? 0) < n && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      return (arrivals[round] ?? []).map((t) => t - t0);
    },
    close() {
      for (const r of sockets) r.destroy();
    },
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function benchBackend(name: string, env: Record<string, string>): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-api-'));
  console.log(
    `\n${name}: seeding ${SEED.toLocaleString()} assets and ${(SEED / 10).toLocaleString()} duplicate groups…`,
  );
  const started = performance.now();
  const s = await startServer({
    ...env,
    DATA_DIR: dataDir,
    SEED_ASSETS: String(SEED),
    SSE_HEARTBEAT_SECONDS: '1',
  });
  console.log(
    `  server ready in ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${await rssMb(s.child.pid)} MB`,
  );
  try {
    const bare = await load(`${s.bare}/bare`);
    console.log(row('bare Fastify route (ceiling)', bare, null));
    console.log(
      row(
        'GET /api/assets?limit=100 (timeline)',
        await load(`${s.base}/api/assets?limit=100`, s.token),
        bare,
      ),
    );
    console.log(
      row('GET /api/duplicates?limit=50', await load(`${s.base}/api/duplicates?limit=50`, s.token), bare),
    );

    const before = await rssMb(s.child.pid);
    const streams = await sse(s, SUBSCRIBERS);
    const delays: number[] = [];
    let missed = 0;
    for (let i = 0; i < 5; i++) {
      const d = await broadcast(streams);
      delays.push(...d);
      missed += SUBSCRIBERS - d.length;
    }
    // Let a few heartbeats (SSE_HEARTBEAT_SECONDS=1 in the bench server) reach everyone.
    await new Promise((r) => setTimeout(r, 5500));
    const after = await rssMb(s.child.pid);
    streams.close();
    console.log(
      `  SSE: ${SUBSCRIBERS} subscribers, heartbeat broadcast fan-out (server stamp → client): p50 ${pct(streams.beats, 50).toFixed(0)} ms, p99 ${pct(streams.beats, 99).toFixed(0)} ms over ${streams.beats.length} deliveries`,
    );
    console.log(
      `  SSE: ${SUBSCRIBERS} subscribers × 5 job broadcasts: delivery p50 ${pct(delays, 50).toFixed(1)} ms, p99 ${pct(delays, 99).toFixed(1)} ms (from the POST that triggers it)${missed ? `, ${missed} not delivered!` : ''}; server RSS ${before} MB → ${after} MB`,
    );
  } finally {
    await stopServer(s);
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function broadcast(streams: Awaited<ReturnType<typeof sse>>): Promise<number[]> {
  return streams.broadcast();
}

async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const name = `photosync_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`\nPostgreSQL: skipped — cannot connect to ${PG_BASE} (${(err as Error).message})`);
    return null;
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_BASE });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

console.log(
  `bench:api — ${CONNECTIONS} connections, ${DURATION} s per target after a 2 s warm-up; ${os.cpus().length} CPU(s), load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  '(server and load generator share this machine: figures are relative, compare with the bare route)',
);
await benchBackend('PGlite (embedded)', {});
const fresh = await freshPostgres();
if (fresh) {
  try {
    await benchBackend('PostgreSQL', { DATABASE_URL: fresh.url });
  } finally {
    await fresh.drop();
  }
}
