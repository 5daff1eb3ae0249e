import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/report/scan-report.js';
import { runCli } from '../support/cli-process.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir } from '../support/test-app.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
if (!asRoot)
  console.log('scan-cli: skipping the unreadable-folder case — it needs root to run the CLI as another user');

describe('photo-sync scan (headless)', () => {
  let root: string;
  let out: string;
  const rel = (p: string) => path.relative(root, p);

  beforeAll(async () => {
    root = await makeTempDir('scan');
    out = await makeTempDir('scan-out');
    const original = await makeJpeg({
      seed: 3,
      width: 2000,
      height: 1500,
      dateTimeOriginal: '2023:08:01 12:00:00',
    });
    await writeFileDeep(path.join(root, 'DCIM/IMG_1.JPG'), original);
    await writeFileDeep(path.join(root, 'backup/IMG_1.JPG'), original);
    await writeFileDeep(
      path.join(root, 'web/IMG_1.webp'),
      await sharp(original).resize(800).webp({ quality: 75 }).toBuffer(),
    );
    await writeFileDeep(
      path.join(root, 'DCIM/IMG_2.JPG'),
      await makeJpeg({ seed: 4, width: 2000, height: 1500 }),
    );
    // Two identical broken files and two empty ones: unreadable, never duplicates of each other.
    const broken = (await makeJpeg({ seed: 5 })).subarray(0, 2000);
    await writeFileDeep(path.join(root, 'broken/a.jpg'), broken);
    await writeFileDeep(path.join(root, 'broken/b.jpg'), broken);
    await writeFileDeep(path.join(root, 'broken/empty1.jpg'), Buffer.alloc(0));
    await writeFileDeep(path.join(root, 'broken/empty2.jpg'), Buffer.alloc(0));
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(out, { recursive: true, force: true });
  });

  it('writes a report with exact and near groups, a summary, and the unreadable files', async () => {
    const report = path.join(out, 'report.json');
    const r = await runCli(['scan', root, '--report', report]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Scanned 8 files/);
    expect(r.stderr).toMatch(/Exact duplicates: 1 groups; near duplicates: 1 groups/);
    const doc = JSON.parse(await fs.readFile(report, 'utf8')) as ScanReport;
    expect(doc.format).toBe('photo-sync-report');
    expect(doc.version).toBe(2);
    expect(doc.exact).toHaveLength(1);
    expect(doc.exact[0]).toMatchObject({ byteIdentical: true, confidence: 'green' });
    expect(doc.exact[0]!.members.map((m) => rel(m.path)).sort()).toEqual([
      'DCIM/IMG_1.JPG',
      'backup/IMG_1.JPG',
    ]);
    expect(doc.near).toHaveLength(1);
    const near = doc.near[0]!.members.map((m) => rel(m.path));
    expect(near).toContain('web/IMG_1.webp');
    expect(near).not.toContain('DCIM/IMG_2.JPG');
    expect(doc.near[0]!.members.every((m) => m.similarity >= 0.95)).toBe(true);
    const unreadable = Object.fromEntries(doc.unreadable.map((u) => [rel(u.path), u.code]));
    expect(unreadable).toEqual({
      'broken/a.jpg': 'corrupted',
      'broken/b.jpg': 'corrupted',
      'broken/empty1.jpg': 'empty',
      'broken/empty2.jpg': 'empty',
    });
    const grouped = [...doc.exact, ...doc.near, ...doc.similar].flatMap((g) =>
      g.members.map((m) => rel(m.path)),
    );
    expect(grouped.filter((p) => p.startsWith('broken/'))).toEqual([]);
    expect(doc.summary).toMatchObject({ exactGroups: 1, nearGroups: 1, unreadable: 4 });
    expect(doc.summary.bytesReclaimable).toBeGreaterThan(0);
  });

  it('--exact-only finds the byte-identical files without near-duplicate matching', async () => {
    const r = await runCli(['scan', root, '--exact-only', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ScanReport;
    expect(doc.options.exactOnly).toBe(true);
    expect(doc.near).toEqual([]);
    const groups = doc.exact.map((g) => g.members.map((m) => rel(m.path)).sort());
    expect(groups).toContainEqual(['DCIM/IMG_1.JPG', 'backup/IMG_1.JPG']);
    expect(groups.flat().filter((p) => p.includes('empty'))).toEqual([]);
  });

  it('--format csv writes one row per group member', async () => {
    const r = await runCli(['scan', root, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('group,kind,confidence,keeper,similarity,size_bytes,path');
    expect(lines.filter((l) => l.startsWith('exact-1,exact,green,'))).toHaveLength(2);
  });

  it('exits 2 with a clear message on a missing folder or a bad threshold', async () => {
    const missing = path.join(root, 'nope');
    const a = await runCli(['scan', missing]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(`Library folder ${missing} does not exist`);
    const b = await runCli(['scan', root, '--threshold', '140']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--threshold must be a similarity percentage between 50 and 100');
  });

  it.runIf(asRoot)('exits 2 when a folder cannot be read (run as an ordinary user)', async () => {
    const locked = await makeTempDir('locked'); // mode 0700, owned by root
    try {
      const r = await runCli(['scan', locked], { uid: NOBODY });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Library folder ${locked} cannot be read: permission denied`);
    } finally {
      await fs.rm(locked, { recursive: true, force: true });
    }
  });
});
