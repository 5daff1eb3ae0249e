import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { runCli } from '../support/cli-process.js';
import { FakeImmich } from '../support/fake-immich.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('photo-sync immich-connect', () => {
  let t: TestApp;
  let immich: FakeImmich;

  beforeAll(async () => {
    immich = new FakeImmich();
    await immich.start();
    // A data dir with its administrator; the server is stopped so the CLI may open the database.
    t = await startTestApp();
    await t.app.stop();
  });

  afterAll(async () => {
    await t.stop().catch(() => undefined);
    await immich.stop();
  });

  it('reads the key from a file, refuses a wrong one, and stores a right one sealed for the first admin', async () => {
    const keyFile = path.join(t.dataDir, 'immich-key');
    const common = [
      '--data-dir',
      t.dataDir,
      '--log-level',
      'error',
      '--url',
      immich.url,
      '--key-file',
      keyFile,
    ];
    const env = t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {};
    await fs.writeFile(keyFile, 'wrong-key\n');
    const wrong = await runCli(['immich-connect', ...common], { env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/refused the API key/);

    await fs.writeFile(keyFile, `${immich.apiKey}\n`);
    const ok = await runCli(['immich-connect', ...common, '--name', 'Home'], { env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Connected Home \(Immich 3\.2\.2\)/);
    expect(ok.stdout + ok.stderr).not.toContain(immich.apiKey);

    const db = await openDatabase({ databaseUrl: t.databaseUrl ?? null, dataDir: t.dataDir });
    try {
      const lib = await db.db
        .selectFrom('libraries')
        .select(['name', 'kind', 'owner_id', 'immich_key_sealed'])
        .executeTakeFirstOrThrow();
      expect(lib).toMatchObject({ name: 'Home', kind: 'immich', owner_id: t.admin.id });
      expect(lib.immich_key_sealed).not.toContain(immich.apiKey);
    } finally {
      await db.close();
    }
  });
});
