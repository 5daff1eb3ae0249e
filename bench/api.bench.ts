/**
 * npm run bench:api — API throughput and latency on 100,000 assets, PGlite and PostgreSQL.
 *
 * For each backend a child process serves the real app (seeded) and a bare Fastify route; this
 * process drives autocannon (50 connections) at the bare route (the ceiling), the timeline page as
 * the web app loads it (the grid page, GET /api/timeline/assets), the same 100 assets in their full
 * shape (GET /api/assets) for comparison, and the duplicates list, and prints req/s, p50/p99 and
 * the ratio to the ceiling — each rendered every time, from the page cache and revalidated (304) —
 * then how the grid page compares with the target (p99 < 25 ms and >= 40% of the bare route).
 * Then 1,000 SSE subscribers receive broadcasts; delivery p50/p99 and the server's RSS are printed.
 *
 * Beside throughput, each row prints the CPU the server process spent per request (all its
 * threads: with PGlite that includes the database), the statements it sent to the database and,
 * on PostgreSQL, the CPU of the database backends serving the bench database — figures that depend
 * far less on how busy the shared machine is than requests per second.
 *
 * Env: BENCH_DURATION (s, default 10), SEED_ASSETS (100000), SSE_SUBSCRIBERS (1000),
 * BENCH_BACKENDS (comma list of `pglite`, `postgres`; default both), BENCH_SERVER_ARGS (node flags
 * for the server process, e.g. `--cpu-prof`),
 * DATABASE_URL (PostgreSQL server; default postgres://postgres@127.0.0.1:5432/postgres; skipped
 * with a note when unreachable).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { encodeCursor } from '../src/api/cursor.js';
import { createFreshPostgresDatabase } from '../test/support/test-database.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const SEED = Number(process.env.SEED_ASSETS ?? 100_000);
const SUBSCRIBERS = Number(process.env.SSE_SUBSCRIBERS ?? 1000);
const PG_BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 50;
/** Issue 5's speed target for the timeline page on PostgreSQL. */
const TARGET_P99_MS = 25;
const TARGET_SHARE = 40;
const BACKENDS = new Set((process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((b) => b.trim()));
/** Clock ticks per second of /proc/<pid>/stat CPU times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface Server {
  child: ChildProcess;
  base: string;
  bare: string;
  token: string;
  libraryId: string;
  /** PostgreSQL only: reads the database's backends and transaction count. */
  probe: DatabaseProbe | null;
}

/** CPU ms of a process (user + system, all threads) from /proc; NaN when unreadable. */
async function cpuMsOf(pid: number | undefined): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * What the PostgreSQL server spends for the bench database: CPU of the backends connected to it
 * (the app's pool; read from /proc, so only when the server runs on this machine).
 */
class DatabaseProbe {
  private constructor(
    private readonly client: pg.Client,
    private readonly name: string,
  ) {}

  static async open(url: string): Promise<DatabaseProbe> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new DatabaseProbe(client, new URL(url).pathname.slice(1));
  }

  async cpuMs(): Promise<number> {
    const backends = await this.client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [this.name],
    );
    const cpu = await Promise.all(backends.rows.map((r) => cpuMsOf(r.pid)));
    return cpu.reduce((a, b) => a + b, 0);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_ARGS=--cpu-prof to profile the server process.
      ...(process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'api-server.ts'),
    ],
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
  const probe = env.DATABASE_URL ? await DatabaseProbe.open(env.DATABASE_URL) : null;
  const libs = (await (
    await fetch(`${base}/api/libraries`, { headers: { authorization: `Bearer ${accessToken}` } })
  ).json()) as { items: { id: string }[] };
  return {
    child,
    base,
    bare: `http://127.0.0.1:${barePort}`,
    token: accessToken,
    libraryId: libs.items[0]!.id,
    probe,
  };
}

async function stopServer(s: Server): Promise<void> {
  await s.probe?.close();
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
  /** CPU ms of the server process per request. */
  cpuMs: number;
  /** PostgreSQL: CPU ms of its backends per request. */
  dbCpuMs: number | null;
  /** Statements sent to the database per request. */
  queries: number;
  /** Share of the requests answered from the page cache (null: the cache was not consulted). */
  cacheHits: number | null;
  /** HTTP status codes answered. */
  status: string;
}

interface ServerStats {
  cache: { hit: number; miss: number; bypass: number };
  /** Statements the app sent to its database (counted in the server process). */
  statements: number;
}

async function serverStats(s: Server): Promise<ServerStats> {
  return (await (await fetch(`${s.bare}/stats`)).json()) as ServerStats;
}

async function load(
  s: Server,
  url: string,
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<Load> {
  const headers = { ...opts.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) };
  // A short warm-up (JIT, connection pools, caches), then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const stats0 = await serverStats(s);
  const cpu0 = await cpuMsOf(s.child.pid);
  const db0 = await s.probe?.cpuMs();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const cpu1 = await cpuMsOf(s.child.pid);
  const db1 = await s.probe?.cpuMs();
  const stats1 = await serverStats(s);
  const cached = stats1.cache.hit - stats0.cache.hit;
  const served = cached + stats1.cache.miss - stats0.cache.miss;
  const n = Math.max(1, r.requests.total);
  const codes = r.statusCodeStats ?? {};
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    // 304 Not Modified is the expected answer of a revalidation, not an error.
    errors: r.errors + r.non2xx - (codes['304']?.count ?? 0),
    cpuMs: (cpu1 - cpu0) / n,
    dbCpuMs: db0 !== undefined && db1 !== undefined ? (db1 - db0) / n : null,
    queries: (stats1.statements - stats0.statements) / n,
    cacheHits: served > 0 ? cached / served : null,
    status: Object.entries(codes)
      .map(([code, v]) => (Object.keys(codes).length > 1 ? `${code}×${v.count ?? 0}` : code))
      .join(' '),
  };
}

function row(name: string, l: Load, ceiling: Load | null): string {
  const ratio = ceiling ? `${((100 * l.rps) / ceiling.rps).toFixed(0)}%` : '100%';
  const db = `   ${l.queries.toFixed(1)} queries${l.dbCpuMs === null ? '' : `, db cpu ${l.dbCpuMs.toFixed(2)} ms`}`;
  const hits = l.cacheHits === null ? '' : `   cache hits ${(100 * l.cacheHits).toFixed(0)}%`;
  return `  ${name.padEnd(46)} ${l.rps.toFixed(0).padStart(6)} req/s   p50 ${String(l.p50).padStart(4)} ms   p99 ${String(l.p99).padStart(4)} ms   ${ratio.padStart(4)} of bare   cpu ${l.cpuMs.toFixed(2)} ms/req${db}${hits}   [${l.status}]${l.errors ? `   (${l.errors} errors!)` : ''}`;
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
    const bare = await load(s, `${s.bare}/bare`);
    console.log(row('bare Fastify route (ceiling)', bare, null));
    // The same bytes as each kind of page, served from memory: the ceiling for a body that size.
    for (const [what, url] of [
      ['grid page', '/api/timeline/assets?limit=100'],
      ['full page', '/api/assets?limit=100'],
    ] as const) {
      const page = Buffer.from(
        await (
          await fetch(`${s.base}${url}`, { headers: { authorization: `Bearer ${s.token}` } })
        ).arrayBuffer(),
      );
      await fetch(`${s.bare}/fixed-body`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: page,
      });
      console.log(
        row(
          `bare route, a ${what}'s ${Math.round(page.length / 1024)} KB from memory`,
          await load(s, `${s.bare}/fixed-body`),
          bare,
        ),
      );
    }
    const auth = { token: s.token };
    const uncached = { ...auth, headers: { 'cache-control': 'no-cache' } };
    const revalidating = async (url: string) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${s.token}` } });
      await res.arrayBuffer();
      return { ...auth, headers: { 'if-none-match': res.headers.get('etag') ?? '' } };
    };
    const targets: [string, string][] = [
      ['timeline grid page, as the web app loads it', `${s.base}/api/timeline/assets?limit=100`],
      ['the same 100 assets in full, for comparison', `${s.base}/api/assets?limit=100`],
      ['duplicates', `${s.base}/api/duplicates?limit=50`],
    ];
    const measured = new Map<string, Load>();
    for (const [name, url] of targets) {
      console.log(`  GET ${url.slice(s.base.length)} (${name})`);
      for (const [how, opts] of [
        ['rendered every time (Cache-Control: no-cache)', uncached],
        ['page cache', auth],
        ['revalidation (If-None-Match → 304)', await revalidating(url)],
      ] as const) {
        const l = await load(s, url, opts);
        measured.set(`${url}\n${how}`, l);
        console.log(row(`  ${how}`, l, bare));
      }
    }
    // Deep in the timeline: the keyset condition must be an index condition, not a filter.
    const deep = encodeCursor({
      at: new Date((1600000000 + 500 * 600) * 1000),
      id: 'f'.repeat(8) + '-ffff-ffff-ffff-' + 'f'.repeat(12),
    });
    for (const [what, route] of [
      ['grid', '/api/timeline/assets'],
      ['full', '/api/assets'],
    ] as const)
      console.log(
        row(
          `  ${what} page after 99,500 newer assets, no-cache`,
          await load(s, `${s.base}${route}?limit=100&cursor=${deep}`, uncached),
          bare,
        ),
      );
    console.log(
      `  target for the timeline grid page: p99 < ${TARGET_P99_MS} ms and >= ${TARGET_SHARE}% of bare`,
    );
    for (const [key, l] of measured) {
      const [url = '', how = ''] = key.split('\n');
      if (!url.includes('/api/timeline/assets')) continue;
      const share = (100 * l.rps) / bare.rps;
      const met = l.p99 < TARGET_P99_MS && share >= TARGET_SHARE;
      console.log(
        `    ${how.padEnd(46)} p99 ${l.p99} ms, ${share.toFixed(0)}% of bare: ${met ? 'met' : 'MISSED'}`,
      );
    }

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

/** A fresh database on the PostgreSQL server, or null (with a note) when it is unreachable. */
async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  try {
    return await createFreshPostgresDatabase(PG_BASE);
  } catch (err) {
    console.log(`\nPostgreSQL: skipped — cannot use ${PG_BASE} (${(err as Error).message})`);
    return null;
  }
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
if (BACKENDS.has('pglite')) await benchBackend('PGlite (embedded)', {});
const fresh = BACKENDS.has('postgres') ? await freshPostgres() : null;
if (fresh) {
  try {
    await benchBackend('PostgreSQL', { DATABASE_URL: fresh.url });
  } finally {
    await fresh.drop();
  }
}
