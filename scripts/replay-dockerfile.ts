/**
 * Replays the Dockerfile without a Docker engine, as `docker compose --profile prod up --build`
 * would build and start it (run through scripts/replay-dockerfile.sh, which supplies the images'
 * Node binary in REPLAY_NODE).
 *
 * Build: every stage gets its own scratch root. `FROM <stage>` starts from a copy of that stage's
 * root, `FROM <image>` from an empty one; `COPY` copies from the build context (the repository's
 * files less .dockerignore: nothing else) or, with --from, from another stage's root; `RUN` runs
 * in the stage's WORKDIR with the stage's ENV and the images' Node first on PATH. Absolute paths in
 * a RUN are taken inside the stage root, and npm's cache starts as this machine's (the tarballs
 * are not downloaded twice; see seedNpmCache). Image-level steps that need the base image's root are
 * not run but checked: `apt-get install P…` needs P installed on this machine (the roles then use
 * the host's copy), `chown` of the image's users is skipped (the roles run as an unprivileged uid).
 *
 * Run: migrate (must exit 0), then server, worker and scheduler from their targets' trees, with
 * the ENTRYPOINT/CMD of the Dockerfile and the environment compose gives them, on a fresh
 * PostgreSQL database and a private Redis key prefix. Checks /health/ready, the worker's and
 * scheduler's heartbeats, the first-admin setup and a login (the password hasher as installed in
 * the image), a scan of three JPEGs, a thumbnail and a preview from the server, and that every
 * role exits 0 on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeJpeg } from '../test/support/images.js';
import { createFreshPostgresDatabase } from '../test/support/test-database.js';

const repo = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const dockerfile = path.resolve(repo, argValue('--dockerfile') ?? 'Dockerfile');
const keep = args.includes('--keep');
/** A folder a `--keep` run left: its stages are reused (to iterate on the run checks). */
const reuse = argValue('--reuse');
const nodeBin = process.env.REPLAY_NODE;
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
/** The roles compose starts, each from its own build target. */
const ROLES = ['migrate', 'server', 'worker', 'scheduler'] as const;
type Role = (typeof ROLES)[number];
/** The uid:gid compose runs the app containers as (`user: '1000:1000'`). */
const APP_UID = 1000;

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function log(msg: string): void {
  process.stdout.write(`replay: ${msg}\n`);
}

class ReplayError extends Error {}

// ------------------------------------------------------------------ Dockerfile parsing

interface Instruction {
  op: string;
  value: string;
  line: number;
}

interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue;
      line = line.replace(/\\\s*$/, ' ') + next.trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new ReplayError(`Dockerfile:${start}: cannot parse "${line}"`);
    const op = (m[1] ?? '').toUpperCase();
    const value = (m[2] ?? '').trim();
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(value);
      if (!f) throw new ReplayError(`Dockerfile:${start}: cannot parse FROM ${value}`);
      const from = (f[1] ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => {
        const v = globalArgs.get(a ?? b ?? '');
        if (v === undefined) throw new ReplayError(`Dockerfile:${start}: ARG ${a ?? b} has no default`);
        return v;
      });
      stages.push({ name: f[2] ?? String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      if (op !== 'ARG') throw new ReplayError(`Dockerfile:${start}: ${op} before the first FROM`);
      const [k, v] = splitAssignment(value);
      globalArgs.set(k, v);
    } else {
      (stages.at(-1) as Stage).instructions.push({ op, value, line: start });
    }
  }
  return { args: globalArgs, stages };
}

function splitAssignment(s: string): [string, string] {
  const eq = s.indexOf('=');
  return eq < 0 ? [s, ''] : [s.slice(0, eq), unquote(s.slice(eq + 1))];
}

function unquote(s: string): string {
  return /^".*"$/.test(s) || /^'.*'$/.test(s) ? s.slice(1, -1) : s;
}

/** `ENV A=1 B="x y"` (the key=value form). */
function parseEnv(value: string, line: number): [string, string][] {
  const out: [string, string][] = [];
  const re = /(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) out.push([m[1] ?? '', unquote(m[2] ?? '')]);
  if (out.length === 0) throw new ReplayError(`Dockerfile:${line}: ENV needs KEY=value`);
  return out;
}

function execForm(value: string, line: number): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
  } catch {
    // fall through
  }
  throw new ReplayError(`Dockerfile:${line}: only the exec (JSON) form is replayed: ${value}`);
}

// ------------------------------------------------------------------ build context

/** The files `docker build .` would send: the working tree less .dockerignore. */
async function buildContext(): Promise<Set<string>> {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new ReplayError(`git ls-files failed: ${listed.stderr}`);
  const files = listed.stdout.split('\0').filter((f) => f && existsSync(path.join(repo, f)));
  const rules = (await fs.readFile(path.join(repo, '.dockerignore'), 'utf8').catch(() => ''))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({
      negate: l.startsWith('!'),
      re: globToRegExp(l.replace(/^!/, '').replace(/^\/|\/$/g, '')),
    }));
  const context = new Set<string>();
  for (const f of files) {
    let ignored = false;
    // Docker's rule: the last matching pattern wins; a pattern matching a parent folder matches.
    for (const r of rules) if (matchesPathOrParent(r.re, f)) ignored = !r.negate;
    if (!ignored) context.add(f);
  }
  return context;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function matchesPathOrParent(re: RegExp, file: string): boolean {
  const parts = file.split('/');
  for (let n = 1; n <= parts.length; n++) if (re.test(parts.slice(0, n).join('/'))) return true;
  return false;
}

// ------------------------------------------------------------------ stage replay

interface BuiltStage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  entrypoint: string[];
  cmd: string[];
}

function inRoot(root: string, p: string, workdir: string): string {
  return path.join(root, path.isAbsolute(p) ? p : path.join(workdir, p));
}

async function copyTree(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  // Hard links: fast, and later stages only ever delete from what they inherited.
  const r = spawnSync('cp', ['-al', from, to], { encoding: 'utf8' });
  if (r.status !== 0) throw new ReplayError(`cp -al ${from} ${to}: ${r.stderr}`);
}

async function replayCopy(
  stage: BuiltStage,
  ins: Instruction,
  context: Set<string>,
  built: Map<string, BuiltStage>,
): Promise<void> {
  const words = ins.value.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const dest = paths.pop();
  if (!dest || paths.length === 0)
    throw new ReplayError(`Dockerfile:${ins.line}: COPY needs a source and a dest`);
  const fromFlag = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  const intoDir = dest.endsWith('/') || paths.length > 1;
  const destPath = inRoot(stage.root, dest, stage.workdir);
  for (const src of paths) {
    if (fromFlag !== undefined) {
      const other = built.get(fromFlag);
      if (!other)
        throw new ReplayError(`Dockerfile:${ins.line}: COPY --from=${fromFlag}: no such stage built`);
      const source = path.join(other.root, src);
      if (!existsSync(source))
        throw new ReplayError(`Dockerfile:${ins.line}: COPY --from=${fromFlag} ${src}: not in that stage`);
      const target = intoDir ? path.join(destPath, path.basename(src)) : destPath;
      await fs.rm(target, { recursive: true, force: true });
      await copyTree(source, target);
      continue;
    }
    const rel = path.normalize(src).replace(/^\.\/?|\/$/g, '');
    const matches = [...context].filter((f) => f === rel || f.startsWith(`${rel}/`));
    if (matches.length === 0)
      throw new ReplayError(`Dockerfile:${ins.line}: COPY ${src}: not in the build context (.dockerignore?)`);
    for (const f of matches) {
      // A file lands in the folder (or at the name) given; a folder's contents go below dest.
      const target =
        f !== rel
          ? path.join(destPath, path.relative(rel, f))
          : intoDir
            ? path.join(destPath, path.basename(f))
            : destPath;
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.copyFile(path.join(repo, f), target);
    }
  }
}

/** Checks image-level steps instead of running them; runs the rest inside the stage root. */
function planRun(stage: BuiltStage, command: string): string {
  const parts = command.split(/\s*&&\s*/);
  const kept: string[] = [];
  for (const part of parts) {
    const words = part.trim().split(/\s+/);
    if (words[0] === 'apt-get') {
      if (words[1] === 'install') {
        const pkgs = words.slice(2).filter((w) => !w.startsWith('-'));
        const missing = pkgs.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
        // The roles use this machine's copy; the replay's checks need no video, so a missing
        // package is reported, not fatal.
        if (missing.length)
          log(
            `  [${stage.name}] WARNING: apt-get install ${missing.join(' ')}: not installed here, the ${stage.name} runs without it`,
          );
        else log(`  [${stage.name}] apt-get install ${pkgs.join(' ')}: present on this machine`);
      }
      continue;
    }
    if (words[0] === 'chown') {
      log(`  [${stage.name}] skipped (image users): ${part.trim()}`);
      continue;
    }
    // Absolute paths name the image's filesystem: the stage root here.
    kept.push(part.replace(/(^|\s)\/(?=[\w.])/g, `$1${stage.root}/`));
  }
  return kept.join(' && ');
}

async function runInStage(stage: BuiltStage, command: string, line: number): Promise<void> {
  log(`  [${stage.name}] RUN ${command}`);
  const planned = planRun(stage, command);
  if (!planned) return;
  const cwd = path.join(stage.root, stage.workdir);
  await fs.mkdir(cwd, { recursive: true });
  if (/(^|\s)npm\s/.test(command)) await seedNpmCache(stage);
  const started = Date.now();
  const result = spawnSync('/bin/sh', ['-c', planned], {
    cwd,
    env: stageEnv(stage),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const out = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new ReplayError(
      `Dockerfile:${line}: [${stage.name}] RUN ${command}\nexited ${result.status ?? result.signal}:\n${out}`,
    );
  }
  log(`  [${stage.name}]   done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The stage's npm cache (`/root/.npm` of the image) starts as this machine's, which CI's own
 * `npm install` of the same lockfile has filled: `npm ci` still installs exactly the lockfile and
 * checks every tarball's integrity, it only skips downloading them again. The content files are
 * hard links (cacache never rewrites one, and a stage's `npm cache clean` only unlinks its own);
 * the index, which npm appends to, is a copy.
 */
async function seedNpmCache(stage: BuiltStage): Promise<void> {
  const host = process.env.REPLAY_NPM_CACHE;
  const cache = path.join(stage.root, 'root/.npm/_cacache');
  if (!host || existsSync(cache) || !existsSync(path.join(host, '_cacache/content-v2'))) return;
  await fs.mkdir(cache, { recursive: true });
  const link = spawnSync('cp', ['-al', path.join(host, '_cacache/content-v2'), cache], { encoding: 'utf8' });
  if (link.status !== 0) {
    // Another filesystem: no cache rather than a copy of it (npm downloads what it needs).
    log(`  [${stage.name}] npm cache not reused: ${link.stderr.trim()}`);
    await fs.rm(cache, { recursive: true, force: true });
    return;
  }
  if (existsSync(path.join(host, '_cacache/index-v5')))
    await fs.cp(path.join(host, '_cacache/index-v5'), path.join(cache, 'index-v5'), { recursive: true });
  log(`  [${stage.name}] npm cache: this machine's (${host})`);
}

/** How this machine reaches the npm registry (CA, proxy, npm's config files), as the build host's. */
function networkEnv(): NodeJS.ProcessEnv {
  const pass = Object.entries(process.env).filter(([k]) =>
    /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy)$/i.test(k),
  );
  return {
    ...Object.fromEntries(pass),
    // The images' Node would look for npm's global config beside itself; use this machine's.
    ...(process.env.REPLAY_NPM_USERCONFIG
      ? { npm_config_userconfig: process.env.REPLAY_NPM_USERCONFIG }
      : {}),
    ...(process.env.REPLAY_NPM_GLOBALCONFIG
      ? { npm_config_globalconfig: process.env.REPLAY_NPM_GLOBALCONFIG }
      : {}),
  };
}

function stageEnv(stage: BuiltStage): NodeJS.ProcessEnv {
  const nodeDir = path.dirname(nodeBin as string);
  return {
    ...networkEnv(),
    ...stage.env,
    PATH: `${nodeDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    // The image's /root: a stage's npm cache is its own (seedNpmCache fills it from this
    // machine's), and its `npm cache clean` cleans only that.
    HOME: path.join(stage.root, 'root'),
    npm_config_update_notifier: 'false',
  };
}

async function buildStages(work: string, targets: readonly string[]): Promise<Map<string, BuiltStage>> {
  const { stages } = parseDockerfile(await fs.readFile(dockerfile, 'utf8'));
  const byName = new Map(stages.map((s) => [s.name, s]));
  const needed = new Set<string>();
  const need = (name: string) => {
    const s = byName.get(name);
    if (!s) throw new ReplayError(`the Dockerfile has no stage ${name}`);
    if (needed.has(name)) return;
    needed.add(name);
    if (byName.has(s.from)) need(s.from);
    for (const ins of s.instructions) {
      const from = ins.op === 'COPY' ? /--from=(\S+)/.exec(ins.value)?.[1] : undefined;
      if (from) need(from);
    }
  };
  for (const t of targets) need(t);
  const context = await buildContext();
  log(`build context: ${context.size} files (.dockerignore applied)`);
  const built = new Map<string, BuiltStage>();
  for (const s of stages) {
    if (!needed.has(s.name)) continue;
    const root = path.join(work, 'stages', s.name);
    const parent = built.get(s.from);
    let stage: BuiltStage;
    if (parent) {
      await copyTree(parent.root, root);
      stage = { ...parent, name: s.name, root, env: { ...parent.env } };
    } else {
      await fs.mkdir(root, { recursive: true });
      stage = { name: s.name, root, workdir: '/', env: {}, user: null, entrypoint: [], cmd: [] };
    }
    log(`stage ${s.name} (FROM ${s.from})`);
    for (const ins of s.instructions) {
      switch (ins.op) {
        case 'WORKDIR':
          stage.workdir = path.posix.resolve(stage.workdir, ins.value);
          await fs.mkdir(path.join(root, stage.workdir), { recursive: true });
          break;
        case 'ENV':
          for (const [k, v] of parseEnv(ins.value, ins.line)) stage.env[k] = v;
          break;
        case 'COPY':
          await replayCopy(stage, ins, context, built);
          break;
        case 'RUN':
          await runInStage(stage, ins.value, ins.line);
          break;
        case 'USER':
          stage.user = ins.value;
          break;
        case 'ENTRYPOINT':
          stage.entrypoint = execForm(ins.value, ins.line);
          stage.cmd = [];
          break;
        case 'CMD':
          stage.cmd = execForm(ins.value, ins.line);
          break;
        case 'ARG':
        case 'EXPOSE':
        case 'HEALTHCHECK':
        case 'LABEL':
          break;
        default:
          throw new ReplayError(`Dockerfile:${ins.line}: ${ins.op} is not replayed`);
      }
    }
    built.set(s.name, stage);
  }
  return built;
}

// ------------------------------------------------------------------ running the roles

interface RunningRole {
  role: Role;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => {
        resolve(port);
      });
    });
    srv.on('error', reject);
  });
}

/** The images' node as /usr/local/bin/node: readable by the app's uid (the cache is root's). */
async function installNode(work: string): Promise<string> {
  const target = path.join(work, 'usr/local/bin/node');
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.copyFile(nodeBin as string, target);
  await fs.chmod(target, 0o755);
  return target;
}

function startRole(node: string, stage: BuiltStage, role: Role, env: Record<string, string>): RunningRole {
  const [entry, ...rest] = [...stage.entrypoint, ...stage.cmd];
  if (entry !== 'node')
    throw new ReplayError(`${stage.name}: the entrypoint must start with node, not ${entry}`);
  // Image paths (/app/…) are the stage root here.
  const argv = rest.map((a) => (a.startsWith('/') ? path.join(stage.root, a) : a));
  const asUser = process.getuid?.() === 0 && stage.user !== null && stage.user !== 'root';
  const child = spawn(node, argv, {
    cwd: path.join(stage.root, stage.workdir),
    env: { ...stage.env, PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asUser ? { uid: APP_UID, gid: APP_UID } : {}),
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.on('error', (err) => {
    out += `\nspawn failed: ${err.message}\n`;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => {
      resolve(code ?? (signal ? 128 + os.constants.signals[signal] : null));
    }),
  );
  return { role, child, output: () => out, exited };
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  roles: RunningRole[],
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const r of roles)
      if (r.child.exitCode !== null || r.child.signalCode !== null)
        throw new ReplayError(
          `${r.role} exited (${r.child.exitCode ?? r.child.signalCode}) while waiting for ${what}:\n${r.output()}`,
        );
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new ReplayError(
        `no ${what} within ${timeoutMs} ms\n${roles.map((r) => `--- ${r.role}\n${r.output().slice(-3000)}`).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function json<T>(res: Response, expected: number, what: string): Promise<T> {
  if (res.status !== expected) throw new ReplayError(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function checkImage(res: Response, what: string): Promise<number> {
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200)
    throw new ReplayError(`${what}: ${res.status} ${body.toString('utf8').slice(0, 300)}`);
  const isWebp =
    body.subarray(0, 4).toString('latin1') === 'RIFF' && body.subarray(8, 12).toString('latin1') === 'WEBP';
  const isJpeg = body[0] === 0xff && body[1] === 0xd8;
  if (!isWebp && !isJpeg) throw new ReplayError(`${what}: not an image (${res.headers.get('content-type')})`);
  return body.length;
}

async function runRoles(work: string, built: Map<string, BuiltStage>): Promise<void> {
  if (!databaseUrl || !redisUrl) throw new ReplayError('set DATABASE_URL and REDIS_URL (.ci/run does)');
  const db = await createFreshPostgresDatabase(databaseUrl);
  const dataDir = path.join(work, 'data');
  const library = path.join(work, 'library');
  const home = path.join(work, 'home');
  const tmp = path.join(work, 'tmp');
  for (const d of [dataDir, library, home, tmp]) await fs.mkdir(d, { recursive: true });
  for (let i = 0; i < 3; i++)
    await fs.writeFile(
      path.join(library, `IMG_${4100 + i}.JPG`),
      await makeJpeg({ seed: 4100 + i, width: 1600, height: 1200 }),
    );
  if (process.getuid?.() === 0) {
    // The volumes of the containers belong to the app's uid (the image's `node` user).
    for (const d of [dataDir, home, tmp]) await fs.chown(d, APP_UID, APP_UID);
    await fs.chmod(work, 0o755);
  }
  const node = await installNode(work);
  const port = await freePort();
  const prefix = `psreplay-${randomBytes(4).toString('hex')}`;
  // What docker-compose.yml's x-app environment gives every app container.
  const env = (role: Role): Record<string, string> => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: prefix,
    HOME: home,
    TMPDIR: tmp,
    ...(role === 'server' ? { HOST: '127.0.0.1', PORT: String(port) } : {}),
    ...(role === 'worker' || role === 'scheduler'
      ? { HEARTBEAT_FILE: path.join(tmp, `${role}.heartbeat`) }
      : {}),
  });
  const secret = randomBytes(32).toString('hex');
  const envOf = (role: Role): Record<string, string> => ({ ...env(role), JWT_SECRET: secret });
  const stageOf = (role: Role) => built.get(role) as BuiltStage;
  const running: RunningRole[] = [];
  try {
    const migrate = startRole(node, stageOf('migrate'), 'migrate', envOf('migrate'));
    const code = await migrate.exited;
    if (code !== 0) throw new ReplayError(`migrate exited ${code}:\n${migrate.output()}`);
    log(
      `migrate: exit 0 (${/"applied":\[[^\]]*\]/.exec(migrate.output())?.[0].slice(0, 80) ?? 'up to date'}…)`,
    );

    for (const role of ['server', 'worker', 'scheduler'] as const)
      running.push(startRole(node, stageOf(role), role, envOf(role)));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'GET /health/ready = 200',
      async () => ((await fetch(`${base}/health/ready`)).status === 200 ? true : undefined),
      60_000,
      running,
    );
    log('server: /health/ready 200');
    for (const role of ['worker', 'scheduler'] as const) {
      const file = envOf(role).HEARTBEAT_FILE as string;
      await waitFor(
        `${role} heartbeat`,
        async () => ((await fs.stat(file)).mtimeMs > Date.now() - 60_000 ? true : undefined),
        60_000,
        running,
      );
      log(`${role}: heartbeat fresh`);
    }

    const credentials = { email: 'admin@example.org', password: 'correct horse battery staple' };
    await json(
      await fetch(`${base}/api/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...credentials, name: 'Admin' }),
      }),
      201,
      'first-admin setup',
    );
    const wrong = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, password: 'not the password' }),
    });
    if (wrong.status !== 401) throw new ReplayError(`a wrong password answered ${wrong.status}, not 401`);
    const { accessToken } = await json<{ accessToken: string }>(
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credentials),
      }),
      200,
      'login',
    );
    const auth = { authorization: `Bearer ${accessToken}` };
    log('server: setup, wrong password 401, login 200');

    const created = await json<{ id: string; scanJobId: string }>(
      await fetch(`${base}/api/libraries`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ roots: [library] }),
      }),
      201,
      'add a library',
    );
    await waitFor(
      'the scan to complete on the worker',
      async () => {
        const job = await json<{ status: string }>(
          await fetch(`${base}/api/jobs/${created.scanJobId}`, { headers: auth }),
          200,
          'job',
        );
        if (job.status === 'failed') throw new ReplayError(`the scan failed: ${JSON.stringify(job)}`);
        return job.status === 'completed' ? job : undefined;
      },
      120_000,
      running,
    );
    const assets = await json<{ items: { id: string; status: string }[] }>(
      await fetch(`${base}/api/assets?limit=10`, { headers: auth }),
      200,
      'list assets',
    );
    const ready = assets.items.filter((a) => a.status === 'ready');
    if (ready.length !== 3)
      throw new ReplayError(`expected 3 ready assets, got ${JSON.stringify(assets.items)}`);
    const id = (ready[0] as { id: string }).id;
    const thumb = await checkImage(
      await fetch(`${base}/api/assets/${id}/thumbnail`, { headers: auth }),
      'thumbnail',
    );
    const preview = await checkImage(
      await fetch(`${base}/api/assets/${id}/preview`, { headers: auth }),
      'preview',
    );
    log(`worker: scan of 3 JPEGs completed; server: thumbnail ${thumb} B, preview ${preview} B`);

    for (const r of running) r.child.kill('SIGTERM');
    for (const r of running) {
      const timer = setTimeout(() => r.child.kill('SIGKILL'), 30_000);
      const exit = await r.exited;
      clearTimeout(timer);
      if (exit !== 0)
        throw new ReplayError(`${r.role} exited ${exit} on SIGTERM:\n${r.output().slice(-3000)}`);
    }
    log('server, worker, scheduler: exit 0 on SIGTERM');
  } finally {
    for (const r of running)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
    await db.drop().catch(() => undefined);
  }
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  if (!nodeBin) throw new ReplayError('REPLAY_NODE is not set: run scripts/replay-dockerfile.sh');
  const started = Date.now();
  const work = reuse ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'photo-sync-replay-')));
  try {
    let built: Map<string, BuiltStage>;
    if (reuse) {
      built = new Map(
        JSON.parse(await fs.readFile(path.join(work, 'built.json'), 'utf8')) as [string, BuiltStage][],
      );
      await fs.rm(path.join(work, 'data'), { recursive: true, force: true });
    } else {
      built = await buildStages(work, ROLES);
      await fs.writeFile(path.join(work, 'built.json'), JSON.stringify([...built]));
    }
    log(`build: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await runRoles(work, built);
    log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (keep || reuse) log(`kept ${work} (--reuse ${work} runs the roles again)`);
    else await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`replay FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
