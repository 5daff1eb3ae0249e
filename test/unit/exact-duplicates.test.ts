import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesHaveSameBytes } from '../../src/fs/byte-compare.js';
import { ExactDuplicateFinder, findExactDuplicates } from '../../src/fs/exact-duplicates.js';

describe('exact duplicates without a database (size → partial hash → full hash → bytes)', () => {
  let dir: string;
  const buckets = new Map<number, string[]>();
  const write = async (name: string, data: Buffer) => {
    const p = path.join(dir, name);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, data);
    const list = buckets.get(data.length) ?? [];
    list.push(p);
    buckets.set(data.length, list);
    return p;
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-exact-'));
    const photo = randomBytes(300_000);
    await write('a/IMG_1.JPG', photo);
    await write('b/IMG_1.JPG', photo);
    await write('c/IMG_1 (1).JPG', photo);
    // Same size and same first 64 KiB, different tail: only the full hash tells them apart.
    const tail = Buffer.from(photo);
    tail[tail.length - 1] = (tail.at(-1) ?? 0) ^ 0xff;
    await write('d/edited.jpg', tail);
    const small = randomBytes(1000);
    await write('e/small.png', small);
    await write('e/small copy.png', small);
    await write('f/empty1.jpg', Buffer.alloc(0));
    await write('f/empty2.jpg', Buffer.alloc(0));
    await write('g/unique.jpg', randomBytes(300_000));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds exactly the byte-identical groups, proven byte for byte, and never groups empty files', async () => {
    const result = await findExactDuplicates(buckets);
    const groups = result.groups.map((g) => g.paths.map((p) => path.relative(dir, p)));
    expect(groups).toEqual([
      ['a/IMG_1.JPG', 'b/IMG_1.JPG', 'c/IMG_1 (1).JPG'],
      ['e/small copy.png', 'e/small.png'],
    ]);
    expect(result.groups.every((g) => g.byteIdentical)).toBe(true);
    expect(result.groups[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.unreadable).toEqual([]);
  });

  it('reports a file that vanished between the walk and the read as unreadable', async () => {
    const gone = path.join(dir, 'h/gone.jpg');
    const buckets2 = new Map([[300_000, [path.join(dir, 'a/IMG_1.JPG'), gone]]]);
    const result = await findExactDuplicates(buckets2);
    expect(result.groups).toEqual([]);
    expect(result.unreadable).toEqual([{ path: gone, reason: 'deleted during the scan' }]);
  });

  it('compares bytes, not just sizes', async () => {
    expect(await filesHaveSameBytes(path.join(dir, 'a/IMG_1.JPG'), path.join(dir, 'b/IMG_1.JPG'))).toBe(true);
    expect(await filesHaveSameBytes(path.join(dir, 'a/IMG_1.JPG'), path.join(dir, 'd/edited.jpg'))).toBe(
      false,
    );
    expect(await filesHaveSameBytes(path.join(dir, 'a/IMG_1.JPG'), path.join(dir, 'g/unique.jpg'))).toBe(
      false,
    );
  });

  it('keeps every file with its own hash when the heads are read by several workers', async () => {
    // 4,500 same-size files: enough for more than one worker; every 1,000th is a copy of file 0.
    const many = path.join(dir, 'many');
    await fs.mkdir(many);
    const first = randomBytes(64);
    const paths: string[] = [];
    for (let i = 0; i < 4500; i++) {
      const p = path.join(many, `f${i}.bin`);
      await fs.writeFile(p, i % 1000 === 0 ? first : randomBytes(64));
      paths.push(p);
    }
    const result = await findExactDuplicates(new Map([[64, paths]]));
    expect(result.groups.map((g) => g.paths.map((p) => path.basename(p)))).toEqual([
      ['f0.bin', 'f1000.bin', 'f2000.bin', 'f3000.bin', 'f4000.bin'],
    ]);
    expect(result.filesRead).toBe(4500);
  });

  it('finds copies fed during a walk, whether a size was already sent for hashing or not', async () => {
    // Sizes are sent to the workers once seen twice: the third copy arrives after that, and the
    // progress totals grow while files are still being added.
    const progress: [number, number][] = [];
    const finder = new ExactDuplicateFinder({ onProgress: (done, total) => progress.push([done, total]) });
    finder.add(path.join(dir, 'a/IMG_1.JPG'), 300_000);
    finder.add(path.join(dir, 'g/unique.jpg'), 300_000);
    finder.add(path.join(dir, 'e/small.png'), 1000);
    finder.add(path.join(dir, 'b/IMG_1.JPG'), 300_000);
    finder.add(path.join(dir, 'f/empty1.jpg'), 0);
    finder.add(path.join(dir, 'e/small copy.png'), 1000);
    finder.add(path.join(dir, 'c/IMG_1 (1).JPG'), 300_000);
    const result = await finder.finish();
    expect(result.groups.map((g) => g.paths.map((p) => path.relative(dir, p)))).toEqual([
      ['a/IMG_1.JPG', 'b/IMG_1.JPG', 'c/IMG_1 (1).JPG'],
      ['e/small copy.png', 'e/small.png'],
    ]);
    expect(result.groups[0]?.sha256).toBe(
      createHash('sha256')
        .update(await fs.readFile(path.join(dir, 'a/IMG_1.JPG')))
        .digest('hex'),
    );
    expect(result.filesRead).toBe(6);
    expect(progress.at(-1)).toEqual([6, 6]);
  });
});
