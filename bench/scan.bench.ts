/**
 * npm run bench:scan -- <dir>
 *
 * The headless CLI against the usual peers on the same files, in the same run (page cache warmed
 * first, so every tool reads from memory): `photo-sync scan --exact-only` vs jdupes (exact), and the
 * full `photo-sync scan` vs findimagedupes (near). Prints wall times and ratios.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from '../src/fs/find-executable.js';
import { walkFiles } from '../src/fs/walk-files.js';
import { mb, run } from './support.js';

const dir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
if (!dir) {
  console.error('usage: npm run bench:scan -- <dir>');
  process.exit(2);
}
// The installed CLI is the compiled one (npm install builds dist/); measure that, not tsx.
const cli = path.resolve(import.meta.dirname, '../dist/cli/main.js');
await fs.access(cli).catch(() => {
  console.error('dist/cli/main.js is missing: run npm run build first');
  process.exit(2);
});
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'scan-bench-'));

let files = 0;
let bytes = 0;
for await (const e of walkFiles(dir)) {
  if (e.type !== 'file') continue;
  files++;
  bytes += e.sizeBytes;
  await fs.readFile(e.path); // warm the page cache
}
console.log(`bench:scan — ${files} files, ${mb(bytes)} MB under ${dir}; ${os.availableParallelism()} cpus\n`);

async function photoSync(args: string[]): Promise<number> {
  const r = await run(process.execPath, [
    cli,
    'scan',
    dir as string,
    '--report',
    path.join(tmp, 'r.json'),
    ...args,
  ]);
  if (r.code !== 0) throw new Error(`photo-sync scan failed: ${r.stderr}`);
  return r.seconds;
}

const jdupes = await findExecutable('jdupes', process.env.PATH);
const exactOurs = await photoSync(['--exact-only']);
console.log(`photo-sync scan --exact-only: ${exactOurs.toFixed(2)} s`);
if (jdupes) {
  const r = await run(jdupes, ['-r', '-q', dir]);
  console.log(`jdupes -r:                    ${r.seconds.toFixed(2)} s`);
  console.log(
    `  ratio jdupes/photo-sync = ${(r.seconds / exactOurs).toFixed(2)} (target >= 1.0: at least as fast)\n`,
  );
} else console.log('jdupes not installed (apt-get install jdupes): no exact comparison\n');

const fid = await findExecutable('findimagedupes', process.env.PATH);
const nearOurs = await photoSync([]);
console.log(`photo-sync scan (full):       ${nearOurs.toFixed(2)} s`);
if (fid) {
  const r = await run(fid, ['-R', '-q', dir]);
  console.log(`findimagedupes -R:            ${r.seconds.toFixed(2)} s`);
  console.log(`  ratio findimagedupes/photo-sync = ${(r.seconds / nearOurs).toFixed(2)} (target >= 3.0)`);
} else console.log('findimagedupes not installed (apt-get install findimagedupes): no near comparison');
await fs.rm(tmp, { recursive: true, force: true });
