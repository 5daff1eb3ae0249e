import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkFiles, walkFilesSync, type WalkEntry } from '../../src/fs/walk-files.js';

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'walk-'));
  await fs.mkdir(path.join(root, 'DCIM/100APPLE'), { recursive: true });
  await fs.mkdir(path.join(root, 'Trips/2024 Été'), { recursive: true });
  await fs.mkdir(path.join(root, '@eaDir'));
  await fs.writeFile(path.join(root, 'DCIM/100APPLE/IMG_0001.JPG'), 'a');
  await fs.writeFile(path.join(root, 'DCIM/100APPLE/IMG_0002.JPG'), 'bb');
  await fs.writeFile(path.join(root, 'Trips/2024 Été/plage (1).jpg'), 'ccc');
  await fs.writeFile(path.join(root, '@eaDir/thumb.jpg'), 'NAS thumbnail');
  await fs.writeFile(path.join(root, '.DS_Store'), 'mac');
  await fs.writeFile(path.join(root, 'empty.png'), '');
  // A link back to the root: the walk must end, visiting each real folder once.
  await fs.symlink(root, path.join(root, 'DCIM/loop'));
  await fs.symlink(path.join(root, 'gone.jpg'), path.join(root, 'dangling.jpg'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const simplify = (e: WalkEntry) =>
  e.type === 'file'
    ? { type: e.type, path: path.relative(root, e.path), size: e.sizeBytes }
    : { type: e.type, path: path.relative(root, e.path), code: e.code };

describe('walkFiles and walkFilesSync', () => {
  it('stream every visible file once, name-ordered, and report what they cannot read', async () => {
    const asyncEntries: WalkEntry[] = [];
    for await (const e of walkFiles(root)) asyncEntries.push(e);
    expect(asyncEntries.map(simplify)).toEqual([
      { type: 'problem', path: 'dangling.jpg', code: 'ENOENT' },
      { type: 'file', path: 'empty.png', size: 0 },
      { type: 'file', path: 'DCIM/100APPLE/IMG_0001.JPG', size: 1 },
      { type: 'file', path: 'DCIM/100APPLE/IMG_0002.JPG', size: 2 },
      { type: 'file', path: 'Trips/2024 Été/plage (1).jpg', size: 3 },
    ]);
  });

  it('agree entry for entry, so the CLI fast path sees the same tree as the server', async () => {
    const asyncEntries: WalkEntry[] = [];
    for await (const e of walkFiles(root)) asyncEntries.push(e);
    expect([...walkFilesSync(root)]).toEqual(asyncEntries);
  });

  it('yield a missing root as a problem instead of throwing', () => {
    const entries = [...walkFilesSync(path.join(root, 'nope'))];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'problem', code: 'ENOENT' });
  });
});
