import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './cli-process.js';

const run = promisify(execFile);

export const hasCommand = (cmd: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** A free port chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        resolve(typeof addr === 'object' && addr ? addr.port : 0);
      });
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000;
  while (!(await check().catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${log()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RunningProxy {
  /** https://localhost:<port> */
  readonly url: string;
  /** PEM of the CA that signed its certificate. */
  readonly ca: string;
  /** The proxy's own health URL (plain HTTP). */
  readonly healthUrl: string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): () => string {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return () => out;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Caddy with the repository's Caddyfile and `tls internal`, in front of `upstreams`. */
export async function startCaddy(upstreams: string[], workDir: string): Promise<RunningProxy> {
  const [httpsPort, httpPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    PATH: process.env.PATH,
    HOME: workDir,
    XDG_DATA_HOME: path.join(workDir, 'data'),
    XDG_CONFIG_HOME: path.join(workDir, 'config'),
    PHOTO_SYNC_DOMAIN: `localhost:${httpsPort}`,
    CADDY_TLS: 'internal',
    PHOTO_SYNC_UPSTREAMS: upstreams.join(' '),
    CADDY_HEALTH_ADDR: `127.0.0.1:${healthPort}`,
    CADDY_HTTP_PORT: String(httpPort),
    CADDY_HTTPS_PORT: String(httpsPort),
  };
  const child = spawn(
    'caddy',
    ['run', '--config', path.join(repoRoot, 'deploy/caddy/Caddyfile'), '--adapter', 'caddyfile'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = track(child);
  const rootCert = path.join(workDir, 'data/caddy/pki/authorities/local/root.crt');
  const healthUrl = `http://127.0.0.1:${healthPort}/healthz`;
  await waitFor(
    async () => (await fetch(healthUrl)).ok && (await fs.stat(rootCert).then(() => true)),
    'caddy',
    child,
    log,
  );
  return {
    url: `https://localhost:${httpsPort}`,
    ca: await fs.readFile(rootCert, 'utf8'),
    healthUrl,
    stop: () => stopChild(child),
  };
}

/** nginx with the repository's config (upstreams, ports and a test CA filled in). */
export async function startNginx(upstreams: string[], workDir: string): Promise<RunningProxy> {
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const tls = path.join(workDir, 'tls');
  await fs.mkdir(tls, { recursive: true });
  // A CA, and a certificate for localhost signed by it.
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=photo-sync test CA',
    '-keyout',
    `${tls}/ca.key`,
    '-out',
    `${tls}/ca.pem`,
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    `${tls}/privkey.pem`,
    '-out',
    `${tls}/server.csr`,
  ]);
  await fs.writeFile(`${tls}/ext.cnf`, 'subjectAltName=DNS:localhost\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    `${tls}/server.csr`,
    '-CA',
    `${tls}/ca.pem`,
    '-CAkey',
    `${tls}/ca.key`,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    `${tls}/ext.cnf`,
    '-out',
    `${tls}/fullchain.pem`,
  ]);
  const template = await fs.readFile(path.join(repoRoot, 'deploy/nginx/nginx.conf'), 'utf8');
  const conf = template
    .replace(/^\s*server server:3000 [^\n]*$/m, upstreams.map((u) => `        server ${u};`).join('\n'))
    .replace(/listen 80;/g, `listen 127.0.0.1:${httpPort};`)
    .replace(/listen \[::\]:80;/g, '')
    .replace(/listen 443 ssl http2;/g, `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace(/listen \[::\]:443 ssl http2;/g, '')
    .replace(/server_name photos\.example\.org;/, 'server_name localhost;')
    .replaceAll('/etc/nginx/tls/', `${tls}/`)
    .replaceAll('/tmp/photo-sync-nginx', path.join(workDir, 'nginx'))
    // stdout is a pipe here, which nginx cannot open by path (in a container it is a file).
    .replace('access_log /dev/stdout;', `access_log ${workDir}/access.log;`);
  const confPath = path.join(workDir, 'nginx.conf');
  await fs.writeFile(confPath, conf);
  const child = spawn('nginx', ['-c', confPath, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = track(child);
  const healthUrl = `http://127.0.0.1:${httpPort}/healthz`;
  await waitFor(async () => (await fetch(healthUrl)).ok, 'nginx', child, log);
  return {
    url: `https://localhost:${httpsPort}`,
    ca: await fs.readFile(`${tls}/ca.pem`, 'utf8'),
    healthUrl,
    stop: () => stopChild(child),
  };
}
