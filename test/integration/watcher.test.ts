import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetJson, Page } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { eventually, makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

describe('the file watcher', () => {
  let root: string;
  let t: TestApp;

  const assets = async (status = 'ready') =>
    (await t.get<Page<AssetJson>>(`/api/assets?status=${status}`)).body.items;

  beforeAll(async () => {
    root = await makeTempDir('watch-lib');
    await writeFileDeep(
      path.join(root, 'a/IMG_1.JPG'),
      await makeJpeg({ seed: 11, dateTimeOriginal: '2020:02:02 02:02:02' }),
    );
    t = await startTestApp({ libraryRoots: [root], watch: true });
    await t.app.queue.whenIdle();
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('indexes a file copied into the library', async () => {
    await writeFileDeep(path.join(root, 'b/IMG_2.JPG'), await makeJpeg({ seed: 12 }));
    const found = await eventually(
      async () => (await assets()).find((a) => a.path.endsWith('b/IMG_2.JPG')),
      20_000,
      'the new file',
    );
    expect(found.hasThumbnail).toBe(true);
  });

  it('keeps the asset identity when a file is moved to another folder', async () => {
    const original = (await assets()).find((a) => a.path.endsWith('a/IMG_1.JPG'))!;
    const target = path.join(root, 'c/renamed.jpg');
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(original.path, target);
    const moved = await eventually(
      async () => (await assets()).find((a) => a.path === target),
      20_000,
      'the move',
    );
    expect(moved.id).toBe(original.id);
    expect((await assets()).filter((a) => a.sha256 === original.sha256)).toHaveLength(1);
  });

  it('re-reads a changed file and marks a deleted one missing', async () => {
    const file = path.join(root, 'b/IMG_2.JPG');
    const before = (await assets()).find((a) => a.path === file)!;
    await fs.writeFile(file, await makeJpeg({ seed: 13 }));
    const changed = await eventually(
      async () => (await assets()).find((a) => a.path === file && a.sha256 !== before.sha256),
      20_000,
      'the change',
    );
    expect(changed.id).toBe(before.id);
    await fs.rm(file);
    const missing = await eventually(
      async () => (await assets('missing')).find((a) => a.path === file),
      20_000,
      'the deletion',
    );
    expect(missing.id).toBe(before.id);
  });
});
