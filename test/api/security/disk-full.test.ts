import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobJson, Page } from '../../support/api-types.js';
import { spawnCli, waitForListening } from '../../support/cli-process.js';
import { makeJpeg, writeFileDeep } from '../../support/images.js';
import { PrivateRedis, redisServerAvailable } from '../../support/redis-server.js';
import { fillDisk, mountTmpfs, tmpfsUnavailable, unmount } from '../../support/tmpfs.js';
import {
  eventually,
  httpRequest,
  makeTempDir,
  setupAdmin,
  startTestApp,
  type TestApp,
  type TestUser,
} from '../../support/test-app.js';
import { createFreshPostgresDatabase, postgresUrl } from '../../support/test-database.js';

const unavailable = await tmpfsUnavailable();
if (unavailable) console.info(`disk-full: skipped — ${unavailable}`);
if (!redisServerAvailable)
  console.info('disk-full: the BullMQ run is skipped — redis-server is not installed');
const transports = redisServerAvailable ? (['in-process', 'bullmq'] as const) : (['in-process'] as const);

const FIRST_PHOTOS = 6;
const LATER_PHOTOS = 16;

interface LogLine {
  level: number;
  msg: string;
  component?: string;
}

interface ReadyBody {
  status: 'ready' | 'degraded';
  detail?: string;
  disks?: { path: string | null; mountPoint: string | null; freeBytes: number | null; code: string }[];
}

/**
 * A full disk, for real: the server's thumbnail folder is a 2 MiB tmpfs, filled to the last byte
 * while an ingest runs. The embedded database stays outside it — PGlite on a full disk is not safe
 * (docs/SECURITY.md says why). The server runs as the real CLI in a child process, so an uncaught
 * exception or unhandled rejection would end it, and its log can be counted line by line. Once
 * with the embedded queue, once with BullMQ on a private Redis.
 */
describe.skipIf(unavailable !== null).each(transports)('a full disk (%s queue)', (transport) => {
  let root: string;
  let dataDir: string;
  let thumbs: string;
  let server: ChildProcess;
  let url: string;
  let admin: TestUser;
  let dropDb: (() => Promise<void>) | undefined;
  let redis: PrivateRedis | undefined;
  const lines: LogLine[] = [];
  let stderr = '';

  const get = <T>(p: string) => httpRequest<T>(url, 'GET', p, { token: admin.accessToken });
  const jobs = async () => (await get<Page<JobJson>>('/api/jobs?limit=200')).body.items;
  const readyAssets = async () =>
    (await get<Page<{ id: string }>>('/api/assets?limit=200')).body.items.map((a) => a.id);

  beforeAll(async () => {
    root = await makeTempDir('disk-full-lib');
    dataDir = await makeTempDir('disk-full-data');
    thumbs = path.join(dataDir, 'thumbs');
    await mountTmpfs(thumbs, 'size=2m');
    for (let i = 0; i < FIRST_PHOTOS; i++)
      await writeFileDeep(
        path.join(root, `first/IMG_${i}.JPG`),
        await makeJpeg({ seed: 900 + i, width: 1600, height: 1200 }),
      );
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      WATCH: 'false',
      // Only a failed write says "full" here: the floor has its own test.
      DISK_FREE_FLOOR_MB: '0',
      INGEST_BATCH_SIZE: '2',
    };
    if (transport === 'bullmq') {
      redis = await PrivateRedis.start();
      env.REDIS_URL = redis.url;
      env.JOB_SWEEP_MS = '2000';
    }
    if (postgresUrl) {
      const fresh = await createFreshPostgresDatabase(postgresUrl);
      env.DATABASE_URL = fresh.url;
      dropDb = fresh.drop;
    }
    server = spawnCli(['serve', '--library', root, '--port', '0'], { env });
    let partial = '';
    server.stdout?.on('data', (d: Buffer) => {
      partial += d.toString();
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const l of complete) if (l.startsWith('{')) lines.push(JSON.parse(l) as LogLine);
    });
    server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    url = await waitForListening(server);
    admin = await setupAdmin(url);
    await eventually(
      async () => ((await readyAssets()).length === FIRST_PHOTOS ? true : undefined),
      90_000,
      'the first photos to be indexed',
    );
  }, 180_000);

  afterAll(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await unmount(thumbs);
    await redis?.kill();
    await dropDb?.();
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('reports why on /health/ready, keeps serving reads, logs a few lines, and resumes by itself', async () => {
    const [cached] = await readyAssets();
    expect((await get(`/api/assets/${cached}/thumbnail`)).status).toBe(200);
    // Rendered now and kept in the preview cache (outside the tmpfs).
    expect((await get(`/api/assets/${cached}/preview`)).status).toBe(200);
    const library = (await get<Page<{ id: string }>>('/api/libraries')).body.items[0]!.id;

    const filler = await fillDisk(thumbs);
    for (let i = 0; i < LATER_PHOTOS; i++)
      await writeFileDeep(
        path.join(root, `later/IMG_${i}.JPG`),
        await makeJpeg({ seed: 1900 + i, width: 1600, height: 1200 }),
      );
    const scan = await httpRequest(url, 'POST', `/api/libraries/${library}/scan`, {
      token: admin.accessToken,
      body: {},
    });
    expect(scan.status).toBeLessThan(300);

    const degraded = await eventually(
      async () => {
        const res = await httpRequest<ReadyBody>(url, 'GET', '/health/ready');
        return res.status === 200 && res.body.status === 'degraded' ? res : undefined;
      },
      60_000,
      '/health/ready to report the full disk',
    );
    expect(degraded.body.detail).toMatch(/Disk full/);
    expect(degraded.body.detail).toContain(thumbs);
    expect(degraded.body.disks?.[0]).toMatchObject({ mountPoint: thumbs, code: 'ENOSPC' });
    expect(degraded.body.disks?.[0]?.freeBytes).toBeLessThan(256 * 1024);

    // While it lasts (a few seconds of polling): liveness and every read answer.
    for (let round = 0; round < 20; round++) {
      expect((await httpRequest(url, 'GET', '/health')).status).toBe(200);
      // Degraded, not unready: a 503 would make a proxy's health check stop the reads too.
      const ready = await httpRequest<ReadyBody>(url, 'GET', '/health/ready');
      expect([ready.status, ready.body.status]).toEqual([200, 'degraded']);
      expect((await get('/api/timeline/buckets')).status).toBe(200);
      expect((await get(`/api/assets/${cached}/thumbnail`)).status).toBe(200);
      expect((await get(`/api/assets/${cached}/preview`)).status).toBe(200);
      expect((await get('/api/duplicates')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
    }
    const during = await jobs();
    expect(during.filter((j) => j.status === 'failed')).toEqual([]);
    const paused = during.filter((j) => j.error?.startsWith('Paused: '));
    expect(paused.length).toBeGreaterThan(0);
    expect(paused[0]!.error).toContain(thumbs);

    await fs.rm(filler);
    await eventually(
      async () =>
        (await httpRequest<ReadyBody>(url, 'GET', '/health/ready')).body.status === 'ready'
          ? true
          : undefined,
      60_000,
      '/health/ready to recover',
    );
    await eventually(
      async () => {
        const all = await jobs();
        const settled = all.every((j) => j.status === 'completed' || j.status === 'failed');
        return settled && (await readyAssets()).length === FIRST_PHOTOS + LATER_PHOTOS ? all : undefined;
      },
      120_000,
      'the paused work to complete',
    );
    const after = await jobs();
    expect(after.filter((j) => j.status === 'failed')).toEqual([]);
    for (const id of await readyAssets()) expect((await get(`/api/assets/${id}/thumbnail`)).status).toBe(200);

    const diskLines = lines.filter((l) => l.component === 'disk');
    const full = diskLines.filter((l) => l.level === 40);
    expect(full.length, JSON.stringify(full)).toBeGreaterThanOrEqual(1);
    expect(full.length, JSON.stringify(full)).toBeLessThanOrEqual(3);
    expect(diskLines.filter((l) => /recovered/.test(l.msg))).toHaveLength(1);
    // Nothing per file, no error-level line at all.
    expect(lines.filter((l) => /cannot write the thumbnail/.test(l.msg))).toEqual([]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    console.info(
      `disk-full (${transport}): ${lines.length} log lines in all, ${diskLines.length} from the disk monitor (${full.length} warnings)`,
    );

    expect(server.exitCode).toBeNull();
    expect(stderr).not.toMatch(/uncaught|unhandled|ENOSPC/i);
  });
});

/**
 * Removals on a library disk that is full (no inode left, so the trash folder cannot be made):
 * the apply job pauses with the reason, the item stays pending — not failed — and the move goes
 * through by itself once space returns. The in-process app; PGlite or PostgreSQL as configured.
 */
describe.skipIf(unavailable !== null)('a removal on a full library disk', () => {
  let root: string;
  let t: TestApp;

  beforeAll(async () => {
    root = await makeTempDir('disk-full-trash');
    await mountTmpfs(root, 'size=4m,nr_inodes=64');
    const picture = await makeJpeg({ seed: 4242, width: 800, height: 600 });
    await writeFileDeep(path.join(root, 'a/IMG_1.JPG'), picture);
    await writeFileDeep(path.join(root, 'b/IMG_1.JPG'), picture);
    t = await startTestApp({ libraryRoots: [root], env: { DISK_FREE_FLOOR_MB: '0' } });
    await t.app.queue.whenIdle();
  }, 120_000);

  afterAll(async () => {
    await t.stop();
    await unmount(root);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('pauses the apply job instead of failing the item, and moves the file once space returns', async () => {
    const group = (await t.get<Page<{ id: string }>>('/api/duplicates?kind=exact')).body.items[0]!.id;
    const detail = (
      await t.get<{ keeperAssetId: string; members: { asset: { id: string; path: string } }[] }>(
        `/api/duplicates/${group}`,
      )
    ).body;
    const removed = detail.members.map((m) => m.asset).find((a) => a.id !== detail.keeperAssetId)!;

    // Hidden, so no scan indexes it; it takes every inode left.
    const filler = path.join(root, '.filler');
    await fs.mkdir(filler);
    for (let i = 0; ; i++) {
      const made = await fs.writeFile(path.join(filler, `f${i}`), '').then(
        () => true,
        () => false,
      );
      if (!made) break;
    }
    const applied = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: removed.id, keepAssetIds: [detail.keeperAssetId] }] },
    });
    expect(applied.status).toBe(202);

    const paused = await eventually(
      async () => {
        const job = (await t.get<JobJson>(`/api/jobs/${applied.body.jobId}`)).body;
        return job.error?.startsWith('Paused: ') ? job : undefined;
      },
      30_000,
      'the apply job to pause',
    );
    expect(paused.status).not.toBe('failed');
    expect(paused.error).toContain('.photo-sync-trash');
    expect(paused.progress.failed).toBe(0);
    const ready = await t.get<ReadyBody>('/health/ready', null);
    expect([ready.status, ready.body.status]).toEqual([200, 'degraded']);
    expect(ready.body.disks?.[0]).toMatchObject({ mountPoint: root, code: 'ENOSPC' });
    await expect(fs.stat(removed.path)).resolves.toBeTruthy();

    await fs.rm(filler, { recursive: true });
    const done = await eventually(
      async () => {
        const job = (await t.get<JobJson>(`/api/jobs/${applied.body.jobId}`)).body;
        return job.status === 'completed' ? job : undefined;
      },
      60_000,
      'the apply job to complete once space returned',
    );
    expect(done.progress).toMatchObject({ done: 1, failed: 0 });
    await expect(fs.stat(removed.path)).rejects.toThrow();
    expect((await t.get<Page<{ id: string }>>('/api/trash')).body.items).toHaveLength(1);
    expect((await t.get<ReadyBody>('/health/ready', null)).body).toMatchObject({ status: 'ready' });
  });
});
