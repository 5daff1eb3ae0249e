/**
 * npx tsx bench/make-file-tree.ts <dir> [files=1000000]
 *
 * A large synthetic tree for `npm run bench:scan -- <dir>` at library scale: 1,000 files per folder,
 * sizes 100 B - 8 KiB of random bytes (so size buckets collide, as in a real library of many
 * files), and 1% byte-identical copies in other folders. Deterministic for a given count.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
const count = Number(process.argv[3] ?? 1_000_000);
if (!dir || !Number.isInteger(count) || count < 1) {
  console.error('usage: npx tsx bench/make-file-tree.ts <dir> [files=1000000]');
  process.exit(2);
}

let seed = 0x9e3779b9;
/** xorshift32: deterministic and fast enough for a million files. */
function next(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

const PER_FOLDER = 1000;
const originals: Buffer[] = [];
for (let i = 0; i < count; i++) {
  const folder = path.join(dir, `d${String(Math.floor(i / PER_FOLDER)).padStart(4, '0')}`);
  if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
  let bytes: Buffer;
  if (i % 100 === 99 && originals.length > 0) bytes = originals[next() % originals.length] as Buffer;
  else {
    bytes = Buffer.alloc(100 + (next() % 8092));
    for (let o = 0; o + 4 <= bytes.length; o += 4) bytes.writeUInt32LE(next(), o);
    if (originals.length < 1000) originals.push(bytes);
  }
  writeFileSync(path.join(folder, `f${i}.bin`), bytes);
  if (i % 100_000 === 0 && i > 0) console.log(`${i} files`);
}
console.log(`${count} files under ${dir}`);
