import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, JobJson, Page, ProblemJson } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { buildBadInputLibrary, fingerprintTree, type FixtureLibrary } from '../support/library-fixture.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

async function allAssets(t: TestApp, status = 'ready'): Promise<AssetJson[]> {
  const out: AssetJson[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `/api/assets?limit=3&status=${status}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.get<Page<AssetJson>>(q);
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

async function scanAndWait(t: TestApp): Promise<JobJson> {
  const [lib] = await t.app.libraries.listAll();
  const jobId = await t.app.libraries.requestSystemScan(lib!.id);
  await t.app.queue.whenIdle();
  return (await t.get<JobJson>(`/api/jobs/${jobId}`)).body;
}

describe('scanning a library with awkward files', () => {
  let fixture: FixtureLibrary;
  let before: Map<string, string>;
  let t: TestApp;

  beforeAll(async () => {
    fixture = await buildBadInputLibrary(await makeTempDir('lib'));
    before = await fingerprintTree(fixture.root);
    t = await startTestApp({ libraryRoots: [fixture.root] });
    await t.app.queue.whenIdle();
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(fixture.root, { recursive: true, force: true });
  });

  it('indexes every photo once, newest capture first, with its metadata', async () => {
    const assets = await allAssets(t);
    const byRel = new Map(assets.map((a) => [path.relative(fixture.root, a.path), a]));
    for (const [rel, date] of fixture.photos) {
      const a = byRel.get(rel);
      expect(a, rel).toBeDefined();
      expect(a!.kind).toBe('jpeg');
      expect(a!.captureLocal?.replace('T', ' ').slice(0, 19)).toBe(date.replace(/^(\d+):(\d+):/, '$1-$2-'));
      expect(a!.camera).toMatchObject({ make: 'Canon', model: 'EOS R6' });
      expect(a!.width).toBe(1600);
      expect(a!.height).toBe(1200);
      expect(a!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(a!.phash).toMatch(/^[0-9a-f]{16}$/);
    }
    // The PNG named .jpg is a PNG, and an asset like any other.
    expect(byRel.get('misnamed/actually-a-png.jpg')?.kind).toBe('png');
    const dated = assets.filter((a) => a.capturedAt).map((a) => a.capturedAt!);
    expect(dated).toEqual([...dated].sort().reverse());
    expect(new Set(assets.map((a) => a.id)).size).toBe(assets.length);
  });

  it('keeps a truncated JPEG as a corrupted asset, and records unknown and empty files as failed', async () => {
    const ready = await allAssets(t);
    const truncated = ready.find((a) => a.path.endsWith('broken/truncated.jpg'));
    expect(truncated?.problem?.code).toBe('corrupted');
    expect(truncated?.quality?.integrity).not.toBe('ok');

    const failed = await allAssets(t, 'failed');
    const problems = Object.fromEntries(failed.map((a) => [path.basename(a.path), a.problem?.code]));
    expect(problems).toEqual({ 'notes.jpg': 'unsupported', 'empty.jpg': 'empty' });
    for (const f of failed) expect(f.problem?.message.length).toBeGreaterThan(10);
  });

  it('serves upright WebP thumbnails with a 250 px short edge', async () => {
    const [first] = await allAssets(t);
    const res = await t.get<Buffer>(first!.thumbnailUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(res.body).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.min(meta.width, meta.height)).toBe(250);
  });

  it('answers unknown ids, malformed ids and forged cursors with problem+json', async () => {
    const missing = await t.get<ProblemJson>('/api/assets/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body.detail).toContain('not found');
    const bad = await t.get<ProblemJson>('/api/assets/not-a-uuid/thumbnail');
    expect(bad.status).toBe(400);
    expect(bad.body.type).toMatch(/invalid-input$/);
    const cursor = await t.get<ProblemJson>('/api/assets?cursor=Zm9yZ2Vk');
    expect(cursor.status).toBe(400);
    expect(cursor.body.detail).toMatch(/cursor/i);
  });

  it('reports the scan in /api/jobs with done/failed/total counts', async () => {
    const jobs = await t.get<Page<JobJson>>('/api/jobs');
    const scan = jobs.body.items.find((j) => j.type === 'library.scan');
    expect(scan?.status).toBe('completed');
    expect(scan?.progress.total).toBe(fixture.photos.size + 4);
    expect(scan?.progress.done).toBe(scan?.progress.total);
    expect(scan?.progress.failed).toBe(2);
  });

  it('modifies nothing in the library', async () => {
    expect(await fingerprintTree(fixture.root)).toEqual(before);
  });

  it('rescans incrementally: unchanged files are not read again, failed ones are retried', async () => {
    const beforeAssets = await allAssets(t);
    const job = await scanAndWait(t);
    expect(job.status).toBe('completed');
    expect(job.progress.total).toBe(2); // the text file and the empty file, retried
    const afterAssets = await allAssets(t);
    expect(afterAssets.map((a) => [a.id, a.ingestedAt])).toEqual(
      beforeAssets.map((a) => [a.id, a.ingestedAt]),
    );
  });

  it('keeps the identity of a moved file, marks a deleted one missing, and picks up a new one', async () => {
    const assets = await allAssets(t);
    const moved = assets.find((a) => a.path.endsWith('IMG_0001.JPG'))!;
    const deleted = assets.find((a) => a.path.endsWith('IMG_0002.JPG'))!;
    const newPath = path.join(fixture.root, 'Sorted/2024/renamed.jpg');
    await fs.mkdir(path.dirname(newPath), { recursive: true });
    await fs.rename(moved.path, newPath);
    await fs.rm(deleted.path);
    await writeFileDeep(
      path.join(fixture.root, 'new/IMG_0100.JPG'),
      await makeJpeg({ seed: 100, dateTimeOriginal: '2025:01:01 12:00:00' }),
    );

    const job = await scanAndWait(t);
    expect(job.status).toBe('completed');
    const after = await allAssets(t);
    const movedAfter = after.find((a) => a.id === moved.id);
    expect(movedAfter?.path).toBe(newPath);
    expect(after.filter((a) => a.sha256 === moved.sha256)).toHaveLength(1);
    expect(after.some((a) => a.path.endsWith('new/IMG_0100.JPG'))).toBe(true);
    const missing = await allAssets(t, 'missing');
    expect(missing.map((a) => a.id)).toEqual([deleted.id]);
  });

  it('keeps both identities when two byte-identical files move in the same scan', async () => {
    const twin = await makeJpeg({ seed: 200, dateTimeOriginal: '2025:02:02 10:00:00' });
    const first = path.join(fixture.root, 'twins/a.jpg');
    const second = path.join(fixture.root, 'twins/b.jpg');
    await writeFileDeep(first, twin);
    await writeFileDeep(second, twin);
    await scanAndWait(t);
    const before = (await allAssets(t)).filter((a) => a.path.includes(`${path.sep}twins${path.sep}`));
    expect(before).toHaveLength(2);

    await fs.mkdir(path.join(fixture.root, 'twins-moved'));
    await fs.rename(first, path.join(fixture.root, 'twins-moved/a.jpg'));
    await fs.rename(second, path.join(fixture.root, 'twins-moved/b.jpg'));
    expect((await scanAndWait(t)).status).toBe('completed');

    const after = (await allAssets(t)).filter((a) => a.sha256 === before[0]!.sha256);
    expect(after.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
    expect(after.every((a) => a.path.includes(`${path.sep}twins-moved${path.sep}`))).toBe(true);
    expect((await allAssets(t, 'missing')).some((a) => a.sha256 === before[0]!.sha256)).toBe(false);
  });
});
