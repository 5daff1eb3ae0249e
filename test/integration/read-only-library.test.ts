import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, JobJson, Page } from '../support/api-types.js';
import { spawnCli, waitForListening } from '../support/cli-process.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { fingerprintTree } from '../support/library-fixture.js';
import { eventually, makeTempDir, setupAdmin } from '../support/test-app.js';
import { createFreshPostgresDatabase, postgresUrl } from '../support/test-database.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

async function getJson<T>(url: string, token: string): Promise<T> {
  return (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
}

/**
 * The library is read-only to photo-sync and one photo cannot be read at all. As root (CI) the
 * server runs as `nobody` over root-owned files; otherwise the files' modes are removed.
 */
describe('a read-only library with an unreadable file', () => {
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let dropDb: (() => Promise<void>) | undefined;
  let before: Map<string, string>;
  const secret = 'private/IMG_9999.JPG';

  beforeAll(async () => {
    root = await makeTempDir('ro-lib');
    dataDir = await makeTempDir('ro-data');
    for (let i = 0; i < 4; i++)
      await writeFileDeep(
        path.join(root, `IMG_${i}.JPG`),
        await makeJpeg({ seed: 900 + i, dateTimeOriginal: `2021:05:0${i + 1} 08:00:00` }),
      );
    await writeFileDeep(path.join(root, secret), await makeJpeg({ seed: 999 }));
    await fs.chmod(path.join(root, secret), asRoot ? 0o600 : 0o000);
    if (asRoot) {
      await fs.chmod(root, 0o755); // mkdtemp makes it private to root
      await fs.chown(dataDir, NOBODY, NOBODY);
    } else {
      for (const d of [root, path.join(root, 'private')]) await fs.chmod(d, 0o555);
    }
    before = await fingerprintTree(root);
    env = { DATA_DIR: dataDir, LOG_LEVEL: 'info', WATCH: 'false' };
    if (postgresUrl) {
      const fresh = await createFreshPostgresDatabase(postgresUrl);
      env.DATABASE_URL = fresh.url;
      dropDb = fresh.drop;
    }
  });

  afterAll(async () => {
    await dropDb?.();
    for (const d of [root, path.join(root, 'private')]) await fs.chmod(d, 0o755).catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('indexes what it can, records the unreadable file with a reason, and writes nothing to the library', async () => {
    const child = spawnCli(['serve', '--library', root, '--port', '0'], {
      env,
      ...(asRoot ? { uid: NOBODY } : {}),
    });
    try {
      const url = await waitForListening(child);
      const { accessToken: token } = await setupAdmin(url);
      await eventually(
        async () => {
          const jobs = await getJson<Page<JobJson>>(`${url}/api/jobs`, token);
          return jobs.items.length > 0 && jobs.items.every((j) => j.status === 'completed')
            ? jobs
            : undefined;
        },
        60_000,
        'the scan to complete',
      );
      const ready = await getJson<Page<AssetJson>>(`${url}/api/assets`, token);
      expect(ready.items).toHaveLength(4);
      const failed = await getJson<Page<AssetJson>>(`${url}/api/assets?status=failed`, token);
      expect(failed.items).toHaveLength(1);
      expect(failed.items[0]?.path).toBe(path.join(root, secret));
      expect(failed.items[0]?.problem?.code).toBe('unreadable');
      expect(failed.items[0]?.problem?.message).toMatch(/permission denied/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(await fingerprintTree(root)).toEqual(before);
  });
});
