import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskFullError } from '../../src/errors.js';
import { isDiskFull } from '../../src/fs/disk-full.js';
import { DiskSpaceMonitor } from '../../src/fs/disk-space-monitor.js';
import { moveIntoTrash } from '../../src/fs/trash-store.js';
import { writeAtomically } from '../../src/fs/write-atomically.js';
import { createLogger } from '../../src/logger.js';
import { fillDisk, mountTmpfs, tmpfsUnavailable, unmount } from '../support/tmpfs.js';
import { makeTempDir } from '../support/test-app.js';

const unavailable = await tmpfsUnavailable();
if (unavailable) console.info(`disk-space-monitor: skipped — ${unavailable}`);

interface Line {
  level: number;
  msg: string;
}

function capturedLogger() {
  const lines: Line[] = [];
  const log = createLogger('debug', {
    write: (s: string) => {
      lines.push(JSON.parse(s) as Line);
    },
  });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40) };
}

/** Real small filesystems (tmpfs), really full: no mocks of fs. */
describe.skipIf(unavailable !== null)('disks that fill up', () => {
  let base: string;
  const mounts: string[] = [];

  const tmpfs = async (name: string, options: string) => {
    const dir = path.join(base, name);
    await mountTmpfs(dir, options);
    mounts.push(dir);
    return dir;
  };

  beforeAll(async () => {
    base = await makeTempDir('disk-monitor');
  });
  afterAll(async () => {
    for (const m of mounts) await unmount(m);
    await fs.rm(base, { recursive: true, force: true });
  });

  it('enters below the floor with one warning, stays quiet while it lasts, and recovers with one line', async () => {
    const dir = await tmpfs('floor', 'size=2m');
    const { log, lines, warnings } = capturedLogger();
    const monitor = new DiskSpaceMonitor({
      paths: [dir],
      databaseDir: null,
      floorBytes: 1024 * 1024,
      remindEveryMs: 60_000,
      log,
    });
    await monitor.check();
    expect(monitor.full).toBe(false);
    const filler = path.join(dir, 'filler.bin');
    await fs.writeFile(filler, Buffer.alloc(1536 * 1024));
    let changes = 0;
    monitor.onChange(() => changes++);
    for (let i = 0; i < 20; i++) await monitor.check();
    expect(monitor.full).toBe(true);
    expect(monitor.conditions()).toEqual([
      expect.objectContaining({ reason: 'below-floor', mountPoint: dir, totalBytes: 2 * 1024 * 1024 }),
    ]);
    expect(monitor.conditions()[0]!.freeBytes).toBeLessThan(1024 * 1024);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.msg).toMatch(/below the floor/);

    const space = monitor.whenSpace();
    await fs.rm(filler);
    await monitor.check();
    await space;
    expect(monitor.full).toBe(false);
    expect(changes).toBe(2);
    expect(lines.filter((l) => /recovered/.test(l.msg))).toHaveLength(1);
  });

  it('turns a real ENOSPC into a DiskFullError that names the file, its filesystem and the free bytes', async () => {
    const dir = await tmpfs('enospc', 'size=1m');
    await fillDisk(dir);
    const target = path.join(dir, 'thumb.webp');
    const err = await writeAtomically(target, Buffer.alloc(64 * 1024, 7)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskFullError);
    const full = err as DiskFullError;
    expect(full.place).toMatchObject({ path: target, mountPoint: dir, freeBytes: 0, code: 'ENOSPC' });
    expect(full.message).toContain(`mounted at ${dir}`);
    expect(full.message).toMatch(/Free space there/);
    // Nothing half-written is left behind.
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const { log, warnings } = capturedLogger();
    const monitor = new DiskSpaceMonitor({ paths: [dir], databaseDir: null, floorBytes: 0, log });
    for (let i = 0; i < 50; i++) await monitor.reportFailure(err);
    expect(monitor.full).toBe(true);
    expect(warnings()).toHaveLength(1);
    // Still full: a write of the probe's size does not go through.
    await monitor.check();
    expect(monitor.full).toBe(true);
    await fs.rm(path.join(dir, 'filler.bin'));
    await monitor.check();
    expect(monitor.full).toBe(false);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('a disk that fills again right after it recovered adds no new warning', async () => {
    const dir = await tmpfs('relapse', 'size=1m');
    let clock = 1_000_000;
    const { log, lines, warnings } = capturedLogger();
    const monitor = new DiskSpaceMonitor({
      paths: [dir],
      databaseDir: null,
      floorBytes: 0,
      log,
      now: () => clock,
    });
    for (let episode = 0; episode < 5; episode++) {
      const filler = await fillDisk(dir);
      const err = await writeAtomically(path.join(dir, 'thumb.webp'), Buffer.alloc(8192)).catch(
        (e: unknown) => e,
      );
      await monitor.reportFailure(err);
      expect(monitor.full).toBe(true);
      await fs.rm(filler);
      await monitor.check();
      expect(monitor.full).toBe(false);
      clock += 1000;
    }
    expect(warnings()).toHaveLength(1);
    expect(lines.filter((l) => l.level === 30 && /recovered/.test(l.msg))).toHaveLength(1);
  });

  it('a filesystem out of inodes counts as full, however many bytes it has free', async () => {
    const dir = await tmpfs('inodes', 'size=1m,nr_inodes=8');
    for (let i = 0; ; i++) {
      const ok = await fs.writeFile(path.join(dir, `f${i}`), '').then(
        () => true,
        () => false,
      );
      if (!ok) break;
    }
    const { log, warnings } = capturedLogger();
    const monitor = new DiskSpaceMonitor({ paths: [dir], databaseDir: null, floorBytes: 0, log });
    await monitor.check();
    expect(monitor.conditions()).toEqual([expect.objectContaining({ mountPoint: dir, code: 'ENOSPC' })]);
    expect(monitor.conditions()[0]!.freeBytes).toBeGreaterThan(512 * 1024);
    expect(warnings()).toHaveLength(1);
    await fs.rm(path.join(dir, 'f0'));
    await fs.rm(path.join(dir, 'f1'));
    await monitor.check();
    expect(monitor.full).toBe(false);
  });

  it('a move into the trash on a disk with no inode left is a DiskFullError, and the file stays', async () => {
    const dir = await tmpfs('trash', 'size=1m,nr_inodes=8');
    const original = path.join(dir, 'IMG_1.JPG');
    await fs.writeFile(original, 'photo');
    for (let i = 0; ; i++) {
      const ok = await fs.writeFile(path.join(dir, `f${i}`), '').then(
        () => true,
        () => false,
      );
      if (!ok) break;
    }
    const trashPath = path.join(dir, '.photo-sync-trash/item/IMG_1.JPG');
    const err = await moveIntoTrash(original, trashPath).catch((e: unknown) => e);
    // Not "ENOENT" (what Node's recursive mkdir says on a full disk): the real reason.
    expect(err).toBeInstanceOf(DiskFullError);
    expect((err as DiskFullError).place).toMatchObject({ path: trashPath, mountPoint: dir, code: 'ENOSPC' });
    expect(await fs.readFile(original, 'utf8')).toBe('photo');
  });

  it('PGlite on a full disk raises SQLSTATE 53100, which counts as disk full and names its folder', async () => {
    const dir = await tmpfs('pglite', 'size=96m');
    const dbDir = path.join(dir, 'db');
    const db = await PGlite.create(dbDir);
    try {
      await db.exec('create table t (id serial primary key, payload text)');
      const filler = await fillDisk(dir);
      const err = await db
        .query("insert into t (payload) select repeat('y', 1000) from generate_series(1, 50)")
        .catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('53100');
      expect(isDiskFull(err)).toBe(true);
      const { log } = capturedLogger();
      const monitor = new DiskSpaceMonitor({ paths: [dbDir], databaseDir: dbDir, floorBytes: 0, log });
      const full = await monitor.reportFailure(err);
      expect(full.place).toMatchObject({ path: dbDir, mountPoint: dir, code: '53100' });
      // Reads still work on the full disk; a write works again once space returns.
      expect((await db.query<{ n: number }>('select count(*)::int as n from t')).rows[0]!.n).toBe(0);
      await fs.rm(filler);
      await db.query("insert into t (payload) values ('back')");
      expect((await db.query<{ n: number }>('select count(*)::int as n from t')).rows[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});
