import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import type { Page } from '../support/api-types.js';
import { repoRoot } from '../support/cli-process.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';
import { postgresUrl } from '../support/test-database.js';

const run = promisify(execFile);
const script = (name: string) => path.join(repoRoot, 'scripts', name);

interface GroupJson {
  id: string;
  kind: string;
  keeperAssetId: string;
}

/** What must survive: users, assets, decisions, trash (and the thumbnails on disk). */
async function snapshot(db: DatabaseHandle) {
  const rows = async (table: 'users' | 'assets' | 'duplicate_decisions' | 'trash_items', cols: string[]) =>
    (await db.db.selectFrom(table).selectAll().execute())
      .map((r) => Object.fromEntries(cols.map((c) => [c, (r as Record<string, unknown>)[c]])))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    users: await rows('users', ['id', 'email', 'role', 'password_hash']),
    assets: await rows('assets', ['id', 'path', 'status', 'sha256', 'phash']),
    decisions: await rows('duplicate_decisions', ['action']),
    trash: await rows('trash_items', ['id', 'asset_id', 'original_path']),
  };
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

const missingTools = postgresUrl
  ? ['pg_dump', 'pg_restore', 'psql'].filter(
      (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
    )
  : [];
if (missingTools.length > 0)
  console.warn(
    `backup test skipped on PostgreSQL: ${missingTools.join(', ')} not installed (postgresql-client)`,
  );

describe.skipIf(missingTools.length > 0)(
  `backup, wipe, restore (${postgresUrl ? 'PostgreSQL' : 'embedded PGlite'})`,
  () => {
    let root: string;
    let backups: string;
    let t: TestApp;

    beforeAll(async () => {
      root = await makeTempDir('backup-lib');
      backups = await makeTempDir('backups');
      const first = await makeJpeg({ seed: 11, width: 1600, height: 1200 });
      const second = await makeJpeg({ seed: 12, width: 1600, height: 1200 });
      await writeFileDeep(path.join(root, 'a/IMG_1.JPG'), first);
      await writeFileDeep(path.join(root, 'b/IMG_1 copy.JPG'), first);
      await writeFileDeep(path.join(root, 'a/IMG_2.JPG'), second);
      await writeFileDeep(path.join(root, 'b/IMG_2 copy.JPG'), second);
      await writeFileDeep(path.join(root, 'a/IMG_3.JPG'), await makeJpeg({ seed: 13 }));
      t = await startTestApp({ libraryRoots: [root] });
      await t.app.queue.whenIdle();
    });

    afterAll(async () => {
      if (t.databaseUrl) await dropDatabase(t.databaseUrl);
      for (const dir of [root, backups, t.dataDir]) await fs.rm(dir, { recursive: true, force: true });
    });

    it('brings back the same users, assets, decisions, trash and thumbnails', async () => {
      // A removal applied (one copy in the trash) and a dismissed group: real decisions.
      const groups = (await t.get<Page<GroupJson>>('/api/duplicates?kind=exact')).body.items;
      expect(groups).toHaveLength(2);
      const [applied, dismissed] = groups as [GroupJson, GroupJson];
      const apply = await t.request('POST', `/api/duplicates/${applied.id}/apply`, {
        body: { keepAssetIds: [applied.keeperAssetId] },
      });
      expect(apply.status).toBe(202);
      const dismiss = await t.request('POST', `/api/duplicates/${dismissed.id}/decision`, {
        body: { action: 'dismiss' },
      });
      expect(dismiss.status).toBe(200);
      await t.app.queue.whenIdle();

      const db = t.app.database;
      const before = await snapshot(db);
      expect(before.trash).toHaveLength(1);
      expect(before.decisions.length).toBeGreaterThanOrEqual(2);
      const thumbnailsBefore = (await fs.readdir(t.dataDir, { recursive: true }))
        .filter((f) => f.endsWith('.webp') || f.endsWith('.jpg'))
        .sort();
      expect(thumbnailsBefore.length).toBeGreaterThan(0);
      await t.app.stop();

      const config = path.join(backups, 'settings.env');
      await fs.writeFile(config, 'LOG_LEVEL=info\n');
      const env = { PATH: process.env.PATH, HOME: process.env.HOME };
      const target = t.databaseUrl ? ['--database-url', t.databaseUrl] : [];
      const dest = path.join(backups, 'out');
      const made = await run(
        'bash',
        [script('backup.sh'), '--dest', dest, '--data-dir', t.dataDir, '--config', config, ...target],
        { env },
      );
      expect(made.stdout).toContain('backup: wrote');
      const [folder] = await fs.readdir(dest);
      expect(folder).toMatch(/^photo-sync-\d{8}T\d{6}Z$/);
      const backup = path.join(dest, folder as string);

      // The disaster: database and data dir gone.
      if (t.databaseUrl) await dropDatabase(t.databaseUrl);
      await fs.rm(t.dataDir, { recursive: true, force: true });

      const restoredConfig = path.join(backups, 'restored-config');
      const restored = await run(
        'bash',
        [script('restore.sh'), backup, '--data-dir', t.dataDir, '--config-dir', restoredConfig, ...target],
        { env },
      );
      expect(restored.stdout).toContain('restore: done');
      expect(await fs.readFile(path.join(restoredConfig, 'settings.env'), 'utf8')).toBe('LOG_LEVEL=info\n');

      const reopened = await openDatabase({
        databaseUrl: t.databaseUrl ?? null,
        dataDir: t.databaseUrl ? null : t.dataDir,
      });
      try {
        expect(await snapshot(reopened)).toEqual(before);
      } finally {
        await reopened.close();
      }
      const thumbnailsAfter = (await fs.readdir(t.dataDir, { recursive: true }))
        .filter((f) => f.endsWith('.webp') || f.endsWith('.jpg'))
        .sort();
      expect(thumbnailsAfter).toEqual(thumbnailsBefore);

      // Restoring over existing data is refused unless asked for, and a damaged backup is refused.
      const refuse = (args: string[]) =>
        run('bash', [script('restore.sh'), backup, ...args, ...target], { env }).then(
          () => 'accepted',
          (err: unknown) => String((err as { stderr?: string }).stderr),
        );
      expect(await refuse(['--data-dir', t.dataDir])).toMatch(/not empty|already has/);
      await fs.appendFile(path.join(backup, 'data.tar.gz'), 'x');
      expect(await refuse(['--data-dir', path.join(backups, 'elsewhere')])).toContain('damaged');
    });

    it('keeps only the newest backups with --keep', async () => {
      const dest = path.join(backups, 'rotation');
      const data = await makeTempDir('rotation-data');
      await fs.mkdir(path.join(data, 'db'));
      for (const stamp of ['20240101T000000Z', '20240102T000000Z', '20240103T000000Z'])
        await fs.mkdir(path.join(dest, `photo-sync-${stamp}`), { recursive: true });
      await run('bash', [script('backup.sh'), '--dest', dest, '--data-dir', data, '--keep', '2'], {
        env: { PATH: process.env.PATH },
      });
      const left = (await fs.readdir(dest)).sort();
      // The new backup (stamped now) and the newest older one.
      expect(left).toEqual([
        'photo-sync-20240103T000000Z',
        expect.stringMatching(/^photo-sync-\d{8}T\d{6}Z$/),
      ]);
      await fs.rm(data, { recursive: true, force: true });
    });
  },
);
