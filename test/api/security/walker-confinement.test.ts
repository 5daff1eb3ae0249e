import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_OUTSIDE_ROOT, walkFiles, walkFilesSync, type WalkEntry } from '../../../src/fs/walk-files.js';
import { makeJpeg, writeFileDeep } from '../../support/images.js';
import { eventually, makeTempDir, startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * A library whose tree holds links out of it: to /etc/passwd, to a picture outside, to a folder
 * outside, and to the file-system root. None is read, hashed, previewed or indexed.
 */
describe('the walker never leaves a library root; API-added libraries are watched at once', () => {
  let base: string;
  let outside: string;
  let root: string;
  let t: TestApp;
  let secretSha: string;

  const indexedPaths = async (libraryId?: string) => {
    let q = t.app.database.db.selectFrom('assets').select(['path', 'sha256']);
    if (libraryId) q = q.where('library_id', '=', libraryId);
    return q.execute();
  };

  beforeAll(async () => {
    base = await makeTempDir('walk-base');
    outside = await makeTempDir('walk-outside');
    root = path.join(base, 'mine');
    await writeFileDeep(path.join(root, 'a/IMG_1.JPG'), await makeJpeg({ seed: 31 }));
    const secret = await makeJpeg({ seed: 32 });
    secretSha = createHash('sha256').update(secret).digest('hex');
    await writeFileDeep(path.join(outside, 'private/secret.jpg'), secret);
    await fs.symlink('/etc/passwd', path.join(root, 'passwd-link.jpg'));
    await fs.symlink(path.join(outside, 'private/secret.jpg'), path.join(root, 'a/secret-link.jpg'));
    await fs.symlink(path.join(outside, 'private'), path.join(root, 'outside-dir'));
    await fs.symlink('/', path.join(root, 'slash'));
    // A link that stays inside the root is followed (once: the real folder is visited once).
    await fs.symlink(path.join(root, 'a'), path.join(root, 'z-alias'));
    t = await startTestApp({ libraryRoots: [root], watch: true, env: { LIBRARY_BASE: base } });
    await t.app.queue.whenIdle();
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(base, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('yields links leading out as skipped with a reason, and follows none of them', async () => {
    for (const walk of [
      async () => {
        const out: WalkEntry[] = [];
        for await (const e of walkFiles(root)) out.push(e);
        return out;
      },
      () => Promise.resolve([...walkFilesSync(root)]),
    ]) {
      const entries = await walk();
      const skipped = entries.filter((e) => e.type === 'problem' && e.code === LINK_OUTSIDE_ROOT);
      expect(skipped.map((e) => path.relative(root, e.path)).sort()).toEqual([
        'a/secret-link.jpg',
        'outside-dir',
        'passwd-link.jpg',
        'slash',
      ]);
      for (const s of skipped)
        expect(s.type === 'problem' && s.message).toMatch(/outside the library folder/);
      const files = entries.filter((e) => e.type === 'file').map((e) => e.path);
      expect(files).toEqual([path.join(root, 'a/IMG_1.JPG')]);
    }
  });

  it('a scan indexes nothing outside: no path, no hash, no preview', async () => {
    const rows = await indexedPaths();
    expect(rows.map((r) => path.relative(root, r.path))).toEqual(['a/IMG_1.JPG']);
    expect(rows.map((r) => r.sha256)).not.toContain(secretSha);
  });

  it('a library added through the API is watched at once, and a link out added later is not followed', async () => {
    const added = path.join(base, 'added');
    await fs.mkdir(added);
    const res = await t.request<{ id: string }>('POST', '/api/libraries', { body: { roots: [added] } });
    expect(res.status).toBe(201);
    await t.app.queue.whenIdle();
    await fs.symlink(path.join(outside, 'private/secret.jpg'), path.join(added, 'late-link.jpg'));
    await writeFileDeep(path.join(added, 'new/IMG_9.JPG'), await makeJpeg({ seed: 33 }));
    const found = await eventually(
      async () => (await indexedPaths(res.body.id)).find((r) => r.path.endsWith('new/IMG_9.JPG') && r.sha256),
      20_000,
      'the file copied into the API-added library',
    );
    expect(found.sha256).toBeTruthy();
    await t.app.queue.whenIdle();
    const rows = await indexedPaths(res.body.id);
    expect(rows.map((r) => path.relative(added, r.path))).toEqual(['new/IMG_9.JPG']);
    expect((await indexedPaths()).map((r) => r.sha256)).not.toContain(secretSha);
  });
});
