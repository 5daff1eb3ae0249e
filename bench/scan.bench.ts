/**
 * npm run bench:scan -- <dir> [--exact-only] [--runs=3]
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
import { mb, median, run } from './support.js';

const args = process.argv.slice(2);
const exactOnly = args.includes('--exact-only');
const runsArg = args.find((a) => a.startsWith('--runs='));
/** Alternating runs per tool; the median is what counts (2 shared cores are noisy). */
const RUNS = runsArg ? Math.max(1, Number(runsArg.slice('--runs='.length)) || 1) : 3;
const dirArg = args.find((a) => !a.startsWith('--'));
const dir = dirArg ? path.resolve(dirArg) : undefined;
if (!dir) {
  console.error('usage: npm run bench:scan -- <dir> [--exact-only] [--runs=3]');
  process.exit(2);
}
// The installed CLI is the compiled one (npm install builds dist/); measure that, not tsx.
const cli = path.resolve(import.meta.dirname, '../dist/cli/launch.cjs');
await fs.access(cli).catch(() => {
  console.error('dist/cli/launch.cjs is missing: run npm run build first');
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

/** Runs `ours` and `peer` alternately `RUNS` times (so drift hits both alike); medians and the ratio. */
async function compare(
  label: string,
  ours: () => Promise<number>,
  peer: { name: string; run: () => Promise<number> } | null,
  target: string,
): Promise<void> {
  const mine: number[] = [];
  const theirs: number[] = [];
  // One untimed run each first: this machine's page cache drops files between runs, and the first
  // reader after that would pay for the disk.
  await ours();
  if (peer) await peer.run();
  for (let i = 0; i < RUNS; i++) {
    mine.push(await ours());
    if (peer) theirs.push(await peer.run());
  }
  const fmt = (xs: number[]) =>
    `${median(xs).toFixed(2)} s (runs: ${xs.map((x) => x.toFixed(2)).join(', ')})`;
  console.log(`${label.padEnd(30)} ${fmt(mine)}`);
  if (!peer) return;
  console.log(`${peer.name.padEnd(30)} ${fmt(theirs)}`);
  console.log(
    `  ratio ${peer.name}/photo-sync = ${(median(theirs) / median(mine)).toFixed(2)} (${target})\n`,
  );
}

const peerRun = (exe: string, args: string[]) => async () => (await run(exe, args)).seconds;
const jdupes = await findExecutable('jdupes', process.env.PATH);
await compare(
  'photo-sync scan --exact-only:',
  () => photoSync(['--exact-only']),
  jdupes ? { name: 'jdupes -r', run: peerRun(jdupes, ['-r', '-q', dir]) } : null,
  'target >= 1.0: at least as fast',
);
if (!jdupes) console.log('jdupes not installed (apt-get install jdupes): no exact comparison\n');

if (!exactOnly) {
  const fid = await findExecutable('findimagedupes', process.env.PATH);
  await compare(
    'photo-sync scan (full):',
    () => photoSync([]),
    fid ? { name: 'findimagedupes -R', run: peerRun(fid, ['-R', '-q', dir]) } : null,
    'target >= 3.0',
  );
  if (!fid) console.log('findimagedupes not installed (apt-get install findimagedupes): no near comparison');
}
await fs.rm(tmp, { recursive: true, force: true });
