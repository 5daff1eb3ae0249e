import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { CronExpressionParser } from 'cron-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, ProblemJson } from '../support/api-types.js';
import { makeJpeg, scene, writeFileDeep } from '../support/images.js';
import { eventually, makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface SettingJson {
  key: string;
  group: string;
  input: { kind: string; min?: number; max?: number; integer?: boolean; allowed?: string[] };
  value: unknown;
  default: unknown;
  source: 'stored' | 'environment';
  updatedBy: string | null;
}
interface ProblemWithErrors extends ProblemJson {
  errors?: { path: string; message: string }[];
}
interface GroupJson {
  id: string;
  kind: string;
  minSimilarity: number;
  keeperAssetId: string;
}
interface DetailJson extends GroupJson {
  members: {
    asset: { id: string; path: string };
    similarity: number;
    isKeeper: boolean;
    keeperReason: string | null;
  }[];
}

describe('runtime settings (GET/PUT /api/settings) on a real library', () => {
  let root: string;
  let t: TestApp;
  let user: TestUser;
  const settings = async (as?: TestUser) =>
    (await t.get<{ items: SettingJson[] }>('/api/settings', as)).body.items;
  const setting = async (key: string) => (await settings()).find((s) => s.key === key)!;
  const put = (body: unknown, as?: TestUser) =>
    t.request<{ items: SettingJson[] } & ProblemWithErrors>('PUT', '/api/settings', { body, as });
  const groups = async (kind: string) =>
    (await t.get<Page<GroupJson>>(`/api/duplicates?kind=${kind}`)).body.items;
  const detail = async (id: string) => (await t.get<DetailJson>(`/api/duplicates/${id}`)).body;
  const organised = () => path.join(root, 'Pictures/2024/2024-05 Rome/IMG_1.JPG');
  const downloaded = () => path.join(root, 'Downloads/IMG_1.JPG');

  beforeAll(async () => {
    root = await makeTempDir('settings');
    const original = await makeJpeg({ seed: 42, width: 2400, height: 1800, make: 'Apple', model: 'X' });
    await writeFileDeep(organised(), original);
    await writeFileDeep(downloaded(), original);
    // The copy in Downloads is the older file: only a keeper rule on modification time prefers it.
    const longAgo = new Date('2020-01-01T00:00:00Z');
    await fs.utimes(downloaded(), longAgo, longAgo);
    // The same picture slightly cropped (≈99.7 % similar): a near duplicate under the default thresholds.
    await writeFileDeep(
      path.join(root, 'Shared/IMG_1-crop.jpg'),
      await sharp(original)
        .extract({ left: 60, top: 45, width: 2280, height: 1710 })
        .jpeg({ quality: 80 })
        .toBuffer(),
    );
    // Two frames of one camera 3 s apart: a burst only with a burst window above 3 s.
    for (const [i, second] of ['00', '03'].entries())
      await writeFileDeep(
        path.join(root, `DCIM/IMG_030${i}.JPG`),
        await scene(21, 1240, 940)
          .extract({ left: 20 + i * 4, top: 20, width: 1200, height: 900 })
          .jpeg({ quality: 90 })
          .withExif({
            IFD0: { Make: 'Canon', Model: 'EOS R6' },
            IFD2: { DateTimeOriginal: `2024:06:03 10:30:${second}` },
          })
          .toBuffer(),
      );
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    user = await t.createUser('user@example.com');
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('shows every setting with its value, default, source and the range the config allows', async () => {
    const all = await settings(user);
    expect(all.map((s) => s.key)).toEqual([
      'DUPLICATE_THRESHOLD',
      'SIMILAR_THRESHOLD',
      'EXACT_KEEPER_RULES',
      'NEAR_KEEPER_RULES',
      'SCHEDULE_RECONCILE',
      'SCHEDULE_TRASH_PURGE',
      'TRASH_RETENTION_DAYS',
      'VERSION_CAPTURE_WINDOW_SECONDS',
      'BURST_WINDOW_SECONDS',
      'PLACE_RADIUS_KM',
    ]);
    for (const s of all) {
      expect(s.source).toBe('environment');
      expect(s.value).toEqual(s.default);
    }
    const duplicate = all.find((s) => s.key === 'DUPLICATE_THRESHOLD')!;
    expect(duplicate).toMatchObject({
      value: 95,
      input: { kind: 'number', min: 50, max: 100, integer: true },
    });
    const burst = all.find((s) => s.key === 'BURST_WINDOW_SECONDS')!;
    expect(burst.input).toMatchObject({ min: 0.1, max: 60, integer: false });
    expect(all.find((s) => s.key === 'NEAR_KEEPER_RULES')!.input.allowed).toContain('sharpness');
  });

  it('refuses unknown keys and out-of-range values with problem+json naming the field, storing nothing', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ DUPLICATE_THRESHOLD: 101 }, 'body/DUPLICATE_THRESHOLD', /from 50 to 100/],
      [{ DUPLICATE_THRESHOLD: 97.5 }, 'body/DUPLICATE_THRESHOLD', /whole number/],
      [{ NO_SUCH_SETTING: 1 }, 'body/NO_SUCH_SETTING', /unknown setting/],
      [{ JWT_SECRET: 'x'.repeat(40) }, 'body/JWT_SECRET', /unknown setting/],
      [{ NEAR_KEEPER_RULES: ['resolution', 'prettiest'] }, 'body/NEAR_KEEPER_RULES', /one of/],
      [{ NEAR_KEEPER_RULES: ['resolution', 'resolution'] }, 'body/NEAR_KEEPER_RULES', /only once/],
      [{ SCHEDULE_RECONCILE: 'every night' }, 'body/SCHEDULE_RECONCILE', /cron/],
      [{ SCHEDULE_RECONCILE: '0 3 * * * *' }, 'body/SCHEDULE_RECONCILE', /5 fields/],
      [{ TRASH_RETENTION_DAYS: 0 }, 'body/TRASH_RETENTION_DAYS', /from 1 to 3650/],
      [{ SIMILAR_THRESHOLD: 96 }, 'body/SIMILAR_THRESHOLD', /may not be above the duplicate threshold/],
      // One bad value refuses the whole request: the valid one is not stored either.
      [{ TRASH_RETENTION_DAYS: 5, PLACE_RADIUS_KM: 1000 }, 'body/PLACE_RADIUS_KM', /from 0.05 to 100/],
    ];
    for (const [body, field, message] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors?.[0]?.path, JSON.stringify(body)).toBe(field);
      expect(res.body.errors?.[0]?.message, JSON.stringify(body)).toMatch(message);
      expect(res.body.detail).toContain(field);
    }
    expect((await settings()).filter((s) => s.source === 'stored')).toEqual([]);
  });

  it('lets only an administrator change settings; any signed-in user reads them', async () => {
    const res = await put({ TRASH_RETENTION_DAYS: 5 }, user);
    expect(res.status).toBe(403);
    expect((await setting('TRASH_RETENTION_DAYS')).value).toBe(30);
    expect((await t.get('/api/settings', null)).status).toBe(401);
  });

  it('stores a change, writes who changed what from where to the audit log, and resets to the default', async () => {
    const res = await put({ TRASH_RETENTION_DAYS: '14' });
    expect(res.status).toBe(200);
    expect(res.body.items.find((s) => s.key === 'TRASH_RETENTION_DAYS')).toMatchObject({
      value: 14,
      default: 30,
      source: 'stored',
      updatedBy: t.admin.id,
    });
    const audit = await t.get<Page<{ userEmail: string; target: string; ip: string; details: unknown }>>(
      '/api/audit?action=setting.changed',
    );
    expect(audit.body.items[0]).toMatchObject({
      userEmail: t.admin.email,
      target: 'setting:TRASH_RETENTION_DAYS',
      ip: expect.stringMatching(/127\.0\.0\.1/) as unknown,
      details: { from: 30, to: 14, source: 'stored' },
    });

    const reset = await put({ TRASH_RETENTION_DAYS: null });
    expect(reset.body.items.find((s) => s.key === 'TRASH_RETENTION_DAYS')).toMatchObject({
      value: 30,
      source: 'environment',
    });
    const after = await t.get<Page<{ details: unknown }>>('/api/audit?action=setting.changed');
    expect(after.body.items[0]!.details).toEqual({ from: 14, to: 30, source: 'environment' });
  });

  it('a changed duplicate threshold changes what the next analysis groups, until it is reset', async () => {
    const cropped = 'Shared/IMG_1-crop.jpg';
    // Which groups of a kind hold the cropped copy, and its similarity to the keeper there.
    const holding = async (kind: string) => {
      const found: number[] = [];
      for (const g of await groups(kind))
        for (const m of (await detail(g.id)).members)
          if (path.relative(root, m.asset.path) === cropped) found.push(m.similarity);
      return found;
    };
    const [similarity] = await holding('near');
    expect(similarity).toBeDefined();
    expect(similarity).toBeLessThan(1);
    expect(await holding('similar')).toEqual([]);

    // Just above this pair's similarity: the copy is no longer a duplicate, only a similar shot.
    const res = await put({ DUPLICATE_THRESHOLD: Math.min(100, Math.floor(similarity! * 100) + 1) });
    expect(res.status).toBe(200);
    await t.app.queue.whenIdle();
    expect(await holding('near')).toEqual([]);
    expect(await holding('similar')).toEqual([similarity]);

    await put({ DUPLICATE_THRESHOLD: null });
    await t.app.queue.whenIdle();
    expect(await holding('similar')).toEqual([]);
    expect(await holding('near')).toEqual([similarity]);
  });

  it('a changed keeper rule order changes which exact copy the next analysis keeps', async () => {
    const keeperPath = async () => {
      const [exact] = await groups('exact');
      const d = await detail(exact!.id);
      return d.members.find((m) => m.isKeeper)!.asset.path;
    };
    expect(await keeperPath()).toBe(organised());
    const res = await put({ EXACT_KEEPER_RULES: ['oldest-mtime', 'organised-folder'] });
    expect(res.status).toBe(200);
    await t.app.queue.whenIdle();
    expect(await keeperPath()).toBe(downloaded());
    const [exact] = await groups('exact');
    expect((await detail(exact!.id)).members.find((m) => !m.isKeeper)!.keeperReason).toBe('oldest-mtime');

    await put({ EXACT_KEEPER_RULES: null });
    await t.app.queue.whenIdle();
    expect(await keeperPath()).toBe(organised());
  });

  it('a changed burst window changes what the next insight analysis finds', async () => {
    const bursts = async () => (await t.get<Page<{ id: string }>>('/api/bursts')).body.items;
    expect(await bursts()).toEqual([]);
    expect((await put({ BURST_WINDOW_SECONDS: 5 })).status).toBe(200);
    await t.app.queue.whenIdle();
    expect(await bursts()).toHaveLength(1);
    await put({ BURST_WINDOW_SECONDS: null });
    await t.app.queue.whenIdle();
    expect(await bursts()).toEqual([]);
  });

  it('a changed schedule changes what the scheduler plans, without a restart', async () => {
    const scheduler = t.app.scheduler!;
    const plannedCron = () => scheduler.planned().find((p) => p.name === 'reconcile')!;
    expect(plannedCron().cron).toBe('0 3 * * *');
    await put({ SCHEDULE_RECONCILE: '15 4 * * 1' });
    const planned = await eventually(
      () => Promise.resolve(plannedCron().cron === '15 4 * * 1' ? plannedCron() : undefined),
      10_000,
      'the scheduler to re-plan',
    );
    expect(planned.next.getTime()).toBe(CronExpressionParser.parse('15 4 * * 1').next().getTime());
    expect(planned.next.getDay()).toBe(1);
    await put({ SCHEDULE_RECONCILE: null });
    await eventually(
      () => Promise.resolve(plannedCron().cron === '0 3 * * *' ? true : undefined),
      10_000,
      'the scheduler to re-plan',
    );
  });

  it('a changed retention changes what the scheduled purge removes from the trash', async () => {
    const ids = await t.app.database.db
      .selectFrom('assets')
      .select(['id', 'path'])
      .where('path', 'in', [organised(), downloaded()])
      .execute();
    const keeper = ids.find((a) => a.path === organised())!.id;
    const copy = ids.find((a) => a.path === downloaded())!.id;
    const removed = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: copy, keepAssetIds: [keeper] }] },
    });
    expect(removed.status).toBe(202);
    await t.app.queue.whenIdle();
    // Removed ten days ago.
    await t.app.database.db
      .updateTable('trash_items')
      .set({ trashed_at: new Date(Date.now() - 10 * 24 * 3600 * 1000) })
      .execute();
    const trashDir = path.join(root, '.photo-sync-trash');
    const inTrash = async () => (await t.get<Page<{ id: string }>>('/api/trash')).body.items.length;
    const scheduler = t.app.scheduler!;
    const runPurge = async () => {
      expect(await scheduler.runTask(scheduler.task('trash-purge')!)).toBe(true);
      await t.app.queue.whenIdle();
    };

    await runPurge(); // 30 days (the environment's): too young to go
    expect(await inTrash()).toBe(1);
    expect(await fs.readdir(trashDir)).toHaveLength(1);

    await put({ TRASH_RETENTION_DAYS: 7 });
    await runPurge();
    expect(await inTrash()).toBe(0);
    expect(await fs.readdir(trashDir)).toEqual([]);
    expect(await fs.stat(organised())).toBeTruthy();
    await put({ TRASH_RETENTION_DAYS: null });
  });
});
