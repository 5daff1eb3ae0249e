import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openDatabase } from '../../src/db/database.js';
import { repoRoot } from '../support/cli-process.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';
import { postgresUrl } from '../support/test-database.js';

const run = promisify(execFile);

interface ComposeService {
  image: string;
  entrypoint: string[];
  command?: string[];
  environment: Record<string, string>;
  volumes: string[];
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}` against `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const v = vars[name];
    if (v !== undefined && v !== '') return v;
    if (op === '?') throw new Error(`compose would refuse: ${arg ?? name}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

/**
 * The command a compose service runs, on this machine: its volumes become host folders (named
 * volumes from `named`, ./paths from the repository), its environment is interpolated from
 * `vars`, and container paths in the command and environment are mapped to those folders.
 */
function asHostCommand(
  svc: ComposeService,
  vars: Record<string, string>,
  named: Record<string, string>,
  args: string[] = [],
): { argv: string[]; env: Record<string, string> } {
  const mounts = svc.volumes.map((v) => {
    const [src = '', dst = ''] = interpolate(v, vars).split(':');
    const host = src.startsWith('./') || src.startsWith('/') ? path.resolve(repoRoot, src) : named[src];
    if (!host) throw new Error(`no host folder for volume ${src}`);
    return { dst, host };
  });
  const toHost = (p: string) => {
    const m = mounts.find((x) => p === x.dst || p.startsWith(`${x.dst}/`));
    return m ? m.host + p.slice(m.dst.length) : p;
  };
  const env = Object.fromEntries(
    Object.entries(svc.environment).map(([k, v]) => [k, toHost(interpolate(v, vars))]),
  );
  return { argv: [...svc.entrypoint, ...(svc.command ?? []), ...args].map(toHost), env };
}

const missingTools = ['pg_dump', 'pg_restore', 'psql'].filter(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
);
const skipReason = !postgresUrl
  ? 'compose backup test skipped: it backs up PostgreSQL (set DATABASE_URL; npm run test:postgres does)'
  : missingTools.length
    ? `compose backup test skipped: ${missingTools.join(', ')} not installed (postgresql-client)`
    : null;
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)("docker-compose.yml's backup and restore services", () => {
  const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };
  let t: TestApp;
  let root: string;
  let backups: string;

  beforeAll(async () => {
    root = await makeTempDir('compose-backup-lib');
    backups = await makeTempDir('compose-backups');
    for (let i = 0; i < 3; i++)
      await writeFileDeep(path.join(root, `IMG_${i}.JPG`), await makeJpeg({ seed: 300 + i }));
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    if (t.databaseUrl)
      await admin.query(`drop database if exists ${new URL(t.databaseUrl).pathname.slice(1)} with (force)`);
    await admin.end();
    for (const dir of [root, backups, t.dataDir]) await fs.rm(dir, { recursive: true, force: true });
  });

  it("uses the prod database's postgres image, so pg_dump matches the server", () => {
    const { backup, restore, postgres } = compose.services;
    expect(backup?.image).toBe(postgres?.image);
    expect(restore?.image).toBe(postgres?.image);
  });

  it('backs up into BACKUP_PATH with owner-only files, and restores from there after a wipe', async () => {
    const { backup, restore } = compose.services as { backup: ComposeService; restore: ComposeService };
    const vars = { POSTGRES_PASSWORD: 'unused-here', BACKUP_PATH: backups };
    const named = { 'app-data': t.dataDir };
    const made = asHostCommand(backup, vars, named);
    // The service reaches the database as `postgres` on the compose network: this test's database here.
    expect(made.env.DATABASE_URL).toMatch(/^postgres:\/\/photosync:unused-here@postgres:5432\/photosync$/);
    const databaseUrl = t.databaseUrl as string;
    const before = {
      users: await t.app.database.db.selectFrom('users').select(['email', 'password_hash']).execute(),
      assets: await t.app.database.db
        .selectFrom('assets')
        .select(['path', 'sha256'])
        .orderBy('path')
        .execute(),
    };
    expect(before.assets).toHaveLength(3);
    await t.app.stop();

    const out = await run(made.argv[0] as string, made.argv.slice(1), {
      env: { PATH: process.env.PATH, ...made.env, DATABASE_URL: databaseUrl },
    });
    expect(out.stdout).toContain('backup: wrote /');
    const [folder, ...more] = await fs.readdir(backups);
    expect(more).toEqual([]);
    const dir = path.join(backups, folder as string);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    const files = await fs.readdir(dir);
    expect(files.sort()).toEqual(['SHA256SUMS', 'data.tar.gz', 'database.dump', 'manifest']);
    for (const f of files)
      expect({ f, mode: (await fs.stat(path.join(dir, f))).mode & 0o777 }).toEqual({ f, mode: 0o600 });

    // The disaster: database dropped, data dir emptied.
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop database ${new URL(databaseUrl).pathname.slice(1)} with (force)`);
    await admin.end();
    const thumbnails = (await fs.readdir(t.dataDir, { recursive: true })).sort();
    for (const e of await fs.readdir(t.dataDir)) await fs.rm(path.join(t.dataDir, e), { recursive: true });

    // The documented restore: the restore service, given the backup's path inside its /backups.
    const back = asHostCommand(restore, vars, named, [`/backups/${folder as string}`]);
    const restored = await run(back.argv[0] as string, back.argv.slice(1), {
      env: { PATH: process.env.PATH, ...back.env, DATABASE_URL: databaseUrl },
    });
    expect(restored.stdout).toContain('restore: done');
    expect((await fs.readdir(t.dataDir, { recursive: true })).sort()).toEqual(thumbnails);
    const db = await openDatabase({ databaseUrl, dataDir: null });
    try {
      expect({
        users: await db.db.selectFrom('users').select(['email', 'password_hash']).execute(),
        assets: await db.db.selectFrom('assets').select(['path', 'sha256']).orderBy('path').execute(),
      }).toEqual(before);
    } finally {
      await db.close();
    }
  });
});
