import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';
import { makeTempDir } from '../support/test-app.js';

describe('photo-sync CLI: bad input gets a clear message and exit code 2', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await makeTempDir('cli');
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('names a bad variable and what is allowed', async () => {
    const r = await runCli(['migrate'], { env: { PORT: 'eighty', DATA_DIR: dataDir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toMatch(/PORT: .*number.*\(got "eighty"\)/);

    const level = await runCli(['migrate', '--log-level', 'loud', '--data-dir', dataDir]);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/LOG_LEVEL: .*"fatal".*"silent"/);
  });

  it('refuses to serve in production without JWT_SECRET, naming it', async () => {
    const r = await runCli(['serve', '--port', '0'], {
      env: { NODE_ENV: 'production', DATA_DIR: path.join(dataDir, 'prod') },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
    const short = await runCli(['migrate'], { env: { JWT_SECRET: 'short', DATA_DIR: dataDir } });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/JWT_SECRET: must be at least 32 characters/);
  });

  it('refuses a library folder that does not exist, before touching anything', async () => {
    const missing = path.join(dataDir, 'no-such-folder');
    const r = await runCli([
      'serve',
      '--library',
      missing,
      '--data-dir',
      path.join(dataDir, 'd2'),
      '--port',
      '0',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Library folder ${missing} does not exist`);
    await expect(fs.access(path.join(dataDir, 'd2'))).rejects.toThrow();
  });

  it('says which database it could not reach, without the password', async () => {
    const r = await runCli(['migrate'], {
      env: { DATABASE_URL: 'postgres://me:hunter2@127.0.0.1:1/photos' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cannot connect to the database at postgres://me:***@127.0.0.1:1/photos');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('migrates the embedded database, then finds it up to date', async () => {
    const first = await runCli(['migrate', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('migrations applied');
    const second = await runCli(['migrate', '--data-dir', dataDir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('database already up to date');
  });
});
