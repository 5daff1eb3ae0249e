/**
 * npm run bench:scan -- <dir> [--exact-only] [--runs=3]
 *
 * The headless CLI against the usual peers on the same files, in the same run (page cache warmed
 * first, so every tool reads from memory): `photo-sync scan --exact-only` vs jdupes (exact), and the
 * full `photo-sync scan` vs findimagedupes (near). Prints wall times and ratios, and the decode
 * floor: how long decoding every distinct picture once takes on its own, which no scan that looks
 * at every picture can beat.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { detectKind, KIND_DETECTION_HEAD_BYTES } from '../src/domain/detect-kind.js';
import { mediaClassOf } from '../src/domain/file-kind.js';
import { findExecutable } from '../src/fs/find-executable.js';
import { decodePicture } from '../src/media/decode-picture.js';
import { DEFAULT_THUMBNAIL_SIZE } from '../src/media/working-raster.js';
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
): Promise<{ ours: number; peer: number | null }> {
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
  if (!peer) return { ours: median(mine), peer: null };
  console.log(`${peer.name.padEnd(30)} ${fmt(theirs)}`);
  console.log(
    `  ratio ${peer.name}/photo-sync = ${(median(theirs) / median(mine)).toFixed(2)} (${target})\n`,
  );
  return { ours: median(mine), peer: median(theirs) };
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

/**
 * Seconds to decode every distinct picture under `dir` once to the working raster (the scan decodes
 * a byte-identical copy once too), through the scan's own decoders, 2 per core in flight, with the
 * files already in memory: no hashing, metadata, signatures or start-up. The best of RUNS runs.
 */
async function decodeFloorSeconds(root: string): Promise<{ seconds: number; pictures: number }> {
  const seen = new Set<string>();
  const pictures: { bytes: Buffer; kind: ReturnType<typeof detectKind> }[] = [];
  for await (const e of walkFiles(root)) {
    if (e.type !== 'file') continue;
    const bytes = await fs.readFile(e.path);
    const kind = detectKind(bytes.subarray(0, KIND_DETECTION_HEAD_BYTES), path.basename(e.path));
    const digest = createHash('sha256').update(bytes).digest('hex');
    // Pictures only: a video's poster frame needs ffmpeg, which the comparison leaves out.
    const klass = mediaClassOf(kind.kind);
    if ((klass !== 'image' && klass !== 'raw') || seen.has(digest)) continue;
    seen.add(digest);
    pictures.push({ bytes, kind });
  }
  const once = async () => {
    const start = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < pictures.length) {
        const p = pictures[next++] as (typeof pictures)[number];
        await decodePicture(p.bytes, p.kind, null, DEFAULT_THUMBNAIL_SIZE);
      }
    };
    await Promise.all(Array.from({ length: 2 * os.availableParallelism() }, lane));
    return (performance.now() - start) / 1000;
  };
  await once(); // warm-up: the HEIC decoder's workers compile their WASM once per process
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  return { seconds: Math.min(...times), pictures: pictures.length };
}

if (!exactOnly) {
  const fid = await findExecutable('findimagedupes', process.env.PATH);
  const full = await compare(
    'photo-sync scan (full):',
    () => photoSync([]),
    fid ? { name: 'findimagedupes -R', run: peerRun(fid, ['-R', '-q', dir]) } : null,
    'target >= 3.0',
  );
  if (!fid) console.log('findimagedupes not installed (apt-get install findimagedupes): no near comparison');
  const floor = await decodeFloorSeconds(dir);
  console.log(
    `decode floor:                  ${floor.seconds.toFixed(2)} s (${floor.pictures} distinct pictures, each decoded once, nothing else)`,
  );
  console.log(`  photo-sync scan/decode floor = ${(full.ours / floor.seconds).toFixed(2)}`);
  if (full.peer !== null)
    console.log(
      `  findimagedupes -R/decode floor = ${(full.peer / floor.seconds).toFixed(2)}: the ratio a scan doing nothing but decode would reach`,
    );
}
await fs.rm(tmp, { recursive: true, force: true });
