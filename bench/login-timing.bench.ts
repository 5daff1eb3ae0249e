/**
 * npm run bench:login-timing — does login time reveal whether an account exists?
 *
 * Times POST /api/auth/login for a known email with a wrong password and for unknown emails
 * (interleaved, same run, same server), and prints both distributions and the difference of the
 * medians. The server hashes a dummy password for unknown accounts so both take one argon2
 * verification; the figures show how close that gets. Not a test: timings are noisy.
 *
 * Env: LOGIN_SAMPLES (default 40 of each).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';

const SAMPLES = Number(process.env.LOGIN_SAMPLES ?? 40);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-login-'));
// Generous limits: the benchmark makes many failed attempts on purpose.
const config = loadConfig({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'error',
  WATCH: 'false',
  PORT: '0',
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '1000',
  LOGIN_MAX_ATTEMPTS_PER_IP: '10000',
  PATH: process.env.PATH,
});
const app = await createApp(config, createLogger(config.logLevel));
await app.start();
const port = (app.server.server.address() as { port: number }).port;
const base = `http://127.0.0.1:${port}`;

const post = async (email: string) => {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'definitely not it' }),
  });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
};

await fetch(`${base}/api/auth/setup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'known@example.com', name: 'Known', password: 'the real password' }),
});
await post('warm-up@example.com');

const known: number[] = [];
const unknown: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  known.push((await post('known@example.com')).ms);
  unknown.push((await post(`nobody-${i}@example.com`)).ms);
}
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * (xs.length - 1))] ?? NaN;
const show = (name: string, xs: number[]) => {
  console.log(
    `  ${name.padEnd(30)} p10 ${q(xs, 10).toFixed(1)} ms   median ${q(xs, 50).toFixed(1)} ms   p90 ${q(xs, 90).toFixed(1)} ms`,
  );
};
console.log(`bench:login-timing — ${SAMPLES} interleaved attempts each (argon2id, server in this process)`);
show('known email, wrong password', known);
show('unknown email', unknown);
const diff = q(unknown, 50) - q(known, 50);
console.log(
  `  median difference ${diff.toFixed(1)} ms (${((100 * diff) / q(known, 50)).toFixed(1)}% of a login); without the dummy hash an unknown email would answer in ~1 ms`,
);
await app.stop();
await fs.rm(dataDir, { recursive: true, force: true });
