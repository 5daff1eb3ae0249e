import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, JobJson, Page } from '../support/api-types.js';
import { spawnCli, waitForListening } from '../support/cli-process.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { eventually, loginAs, makeTempDir, setupAdmin } from '../support/test-app.js';
import { createFreshPostgresDatabase, postgresUrl, seedPgliteDataDir } from '../support/test-database.js';

const PHOTOS = 64;

async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as T;
}

describe('a crash (kill -9) in the middle of an ingest', () => {
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    root = await makeTempDir('crash-lib');
    dataDir = await makeTempDir('crash-data');
    for (let i = 0; i < PHOTOS; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      await writeFileDeep(
        path.join(root, `roll-${i % 3}/IMG_${1000 + i}.JPG`),
        await makeJpeg({
          seed: 500 + i,
          width: 3000,
          height: 2000,
          dateTimeOriginal: `2022:03:${day} 12:00:00`,
        }),
      );
    }
    env = { DATA_DIR: dataDir, LOG_LEVEL: 'info', WATCH: 'false', INGEST_CONCURRENCY: '1' };
    // Migrated already (the run's template): what is under test is the restart, not the first run.
    if (postgresUrl) {
      const fresh = await createFreshPostgresDatabase(postgresUrl, { migrated: true });
      env.DATABASE_URL = fresh.url;
      dropDb = fresh.drop;
    } else await seedPgliteDataDir(dataDir);
  });

  afterAll(async () => {
    await dropDb?.();
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('resumes on restart and indexes every file exactly once', async () => {
    const first = spawnCli(['serve', '--library', root, '--port', '0'], { env });
    const url1 = await waitForListening(first);
    const admin = await setupAdmin(url1);
    const atKill = await eventually(
      async () => {
        const jobs = await getJson<Page<JobJson>>(`${url1}/api/jobs`, admin.accessToken);
        const scan = jobs.items.find((j) => j.type === 'library.scan');
        return scan && scan.progress.done >= 5 ? scan : undefined;
      },
      60_000,
      'the ingest to be under way',
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(atKill.progress.done, 'the kill must land mid-ingest').toBeLessThan(PHOTOS);

    const second = spawnCli(['serve', '--library', root, '--port', '0'], { env });
    try {
      const url2 = await waitForListening(second);
      // A new process: sign in again (the account and the signing secret live in the data dir).
      const { accessToken: token } = await loginAs(url2, admin.email);
      const jobs = await eventually(
        async () => {
          const page = await getJson<Page<JobJson>>(`${url2}/api/jobs`, token);
          return page.items.every((j) => j.status === 'completed' || j.status === 'failed')
            ? page
            : undefined;
        },
        120_000,
        'every job to finish after the restart',
      );
      expect(jobs.items.filter((j) => j.status === 'failed')).toEqual([]);
      const assets = await getJson<Page<AssetJson>>(`${url2}/api/assets?limit=500`, token);
      expect(assets.items).toHaveLength(PHOTOS);
      expect(new Set(assets.items.map((a) => a.path)).size).toBe(PHOTOS);
      expect(assets.items.every((a) => a.hasThumbnail && a.phash !== null)).toBe(true);
      const pending = await getJson<Page<AssetJson>>(`${url2}/api/assets?status=pending`, token);
      expect(pending.items).toEqual([]);
    } finally {
      second.kill('SIGTERM');
      const code = await new Promise((r) => second.once('exit', r));
      expect(code, 'graceful shutdown on SIGTERM').toBe(0);
    }
  });
});
