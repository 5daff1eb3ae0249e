import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { makeJpeg, scene, writeFileDeep } from './images.js';

export interface FixtureLibrary {
  root: string;
  /** Files that must become ready assets, relative path → expected capture 'YYYY:MM:DD HH:MM:SS'. */
  photos: Map<string, string>;
}

/**
 * A small library with the awkward cases of real collections: names with spaces and accents,
 * a PNG named .jpg, a truncated JPEG, a text file named .jpg, an empty file, a symlink loop.
 */
export async function buildBadInputLibrary(root: string): Promise<FixtureLibrary> {
  const photos = new Map<string, string>();
  const add = async (rel: string, seed: number, date: string) => {
    await writeFileDeep(
      path.join(root, rel),
      await makeJpeg({
        seed,
        width: 1600,
        height: 1200,
        dateTimeOriginal: date,
        make: 'Canon',
        model: 'EOS R6',
      }),
    );
    photos.set(rel, date);
  };
  await add('DCIM/100CANON/IMG_0001.JPG', 1, '2024:06:03 10:00:00');
  await add('DCIM/100CANON/IMG_0002.JPG', 2, '2024:06:03 10:05:00');
  await add('Été 2024/plage de l’été #1.jpg', 3, '2024:07:14 18:30:00');
  await add('with spaces/deep/er/IMG 0004.jpg', 4, '2023:01:01 09:00:00');
  await writeFileDeep(
    path.join(root, 'misnamed/actually-a-png.jpg'),
    await scene(5, 800, 600).png().toBuffer(),
  );
  const full = await makeJpeg({ seed: 6, width: 1600, height: 1200 });
  await writeFileDeep(path.join(root, 'broken/truncated.jpg'), full.subarray(0, Math.floor(full.length / 2)));
  await writeFileDeep(path.join(root, 'broken/notes.jpg'), 'these are my holiday notes, not a photo\n');
  await writeFileDeep(path.join(root, 'broken/empty.jpg'), Buffer.alloc(0));
  await fs.symlink('..', path.join(root, 'DCIM/loop'));
  return { root, photos };
}

/** SHA-256 and mtime of every file under `root`, to prove a scan modified nothing. */
export async function fingerprintTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const full = path.join(e.parentPath, e.name);
    const st = await fs.lstat(full);
    if (!st.isFile()) continue;
    const bytes = await fs.readFile(full).catch(() => null); // unreadable to us: mode and mtime still count
    const hash = bytes ? createHash('sha256').update(bytes).digest('hex') : 'unreadable';
    out.set(path.relative(root, full), `${hash}:${st.mtimeMs}:${st.mode}`);
  }
  return out;
}
