/**
 * npx tsx bench/signature-eval.ts <corpus dir> [--out pred.json] [--no-peer]
 *
 * Evaluates the near-duplicate signatures (src/domain/near-duplicate) on a real-photo corpus with
 * ground truth (<corpus>.truth.json, see ../shared/corpus/README.md). Decodes every picture as ingest
 * does, generates candidates over all pairs with the probes of candidateQueries (counted per radius:
 * the Hamming index runs this at a million pictures), verifies them, groups the pairs classified
 * `duplicate` into connected components and scores that with ../shared/corpus/score.mjs. Baselines in
 * the same run: one 64-bit pHash at fixed thresholds, and findimagedupes when installed.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { detectKind, KIND_DETECTION_HEAD_BYTES } from '../src/domain/detect-kind.js';
import { clusterAroundKeepers, connectedComponents } from '../src/domain/duplicate-clustering.js';
import { defaultNearKeeperRules, rankKeepers, type KeeperCandidate } from '../src/domain/keeper-ranking.js';
import {
  CANDIDATE_RADIUS_BITS,
  candidateQueries,
  captureTimesDiffer,
  classifyPair,
  computeSignatureSet,
  DEFAULT_THRESHOLDS,
  ENCODED_SIGNATURE_BYTES,
  indexedHashes,
  inverseTransform,
  verifyPair,
  type DihedralTransform,
  type SignatureSet,
} from '../src/domain/near-duplicate/index.js';
import { hammingDistance, signatureFromHex, type Signature } from '../src/domain/popcount.js';
import { decodePicture } from '../src/media/decode-picture.js';
import { metadataFromTags } from '../src/media/metadata-from-tags.js';
import { toLuma } from '../src/media/raster-ops.js';
import { readTags } from '../src/media/read-tags.js';
import { DEFAULT_THUMBNAIL_SIZE } from '../src/media/working-raster.js';
import { corpusScorer, scoreGrouping, type ScoreResult } from './corpus-score.js';
import { findimagedupes } from './support.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, 'no-peer': { type: 'boolean' } },
});
if (!positionals[0]) {
  console.error('usage: npx tsx bench/signature-eval.ts <corpus dir> [--out pred.json] [--no-peer]');
  process.exit(2);
}
const root = path.resolve(positionals[0]);
const truthPath = `${root}.truth.json`;
const scorer = corpusScorer;
const work = mkdtempSync(path.join(os.tmpdir(), 'signature-eval-'));

interface TruthFile {
  role: string;
  transform?: string;
  of?: string;
}
interface Truth {
  files: Record<string, TruthFile>;
  near_dup_groups: string[][];
  bursts: string[][];
  hard_negative_pairs: [string, string, string][];
  ignore_pairs: [string, string, string][];
  ignore_roles: string[];
}
const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth;

// ---- 1. decode as ingest does (one shrink-on-load decode to the upright working raster) -------------
interface Picture {
  path: string;
  set: SignatureSet;
  stored: Record<'full' | 'centre', Signature>;
  captureLocal: string | null;
  /** What the production keeper rules look at. */
  keeper: KeeperCandidate;
}
const STILL_KINDS = new Set(['jpeg', 'png', 'webp', 'heic', 'avif', 'tiff', 'gif', 'bmp', 'raw']);
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
const pictures: Picture[] = [];
const skipped: string[] = [];
const timing = { decode: 0, signature: 0, verify: 0, verifications: 0 };
for (const abs of walk(root).sort()) {
  const rel = path.relative(root, abs);
  const bytes = readFileSync(abs);
  const detected = detectKind(bytes.subarray(0, KIND_DETECTION_HEAD_BYTES), rel);
  if (!STILL_KINDS.has(detected.kind)) {
    skipped.push(`${rel}: ${detected.kind}, not a still picture`);
    continue;
  }
  const metadata = metadataFromTags(await readTags(bytes, detected), new Date());
  let started = performance.now();
  const outcome = await decodePicture(bytes, detected, metadata.orientation, DEFAULT_THUMBNAIL_SIZE);
  timing.decode += performance.now() - started;
  if (!outcome.decoded) {
    skipped.push(`${rel}: ${outcome.problem?.message ?? 'undecodable'}`);
    continue;
  }
  started = performance.now();
  const set = computeSignatureSet(toLuma(outcome.decoded.raster));
  timing.signature += performance.now() - started;
  const hashes = indexedHashes(set);
  const stored = { full: signatureFromHex(hashes.full), centre: signatureFromHex(hashes.centre) };
  const keeper: KeeperCandidate = {
    id: rel,
    path: rel,
    kind: detected.kind,
    sizeBytes: bytes.length,
    mtimeMs: statSync(abs).mtimeMs,
    width: outcome.decoded.width,
    height: outcome.decoded.height,
    capturedAtMs: metadata.capturedAt?.getTime() ?? null,
    sharpness: null,
    metadataFields: Object.values(metadata).filter((value) => value !== null).length,
    inAlbum: false,
  };
  pictures.push({ path: rel, set, stored, captureLocal: metadata.captureLocal, keeper });
}
const n = pictures.length;
const picture = (i: number): Picture => pictures[i] as Picture;
console.log(`${n} pictures decoded (${(timing.decode / n).toFixed(1)} ms each); ${skipped.length} skipped`);
for (const s of skipped) console.log(`  skipped ${s}`);
console.log(`signature set: ${(timing.signature / n).toFixed(2)} ms each, ${ENCODED_SIGNATURE_BYTES} bytes`);

// ---- 2. ground-truth category of every pair (the rules of score.mjs) ------------------------------
type Kind = 'positive' | 'burst' | 'hard negative' | 'ignored' | 'negative';
const indexOf = new Map(pictures.map((p, i) => [p.path, i]));
const key = (a: number, b: number): number => (a < b ? a * n + b : b * n + a);
const categories = new Map<number, { kind: Kind; label: string }>();
const meta = (i: number): TruthFile => truth.files[picture(i).path] ?? { role: 'unknown' };
function eachPair(paths: string[], f: (a: number, b: number) => { kind: Kind; label: string }): void {
  const ids = paths.flatMap((p) => indexOf.get(p) ?? []);
  ids.forEach((a, i) => {
    for (const b of ids.slice(i + 1)) categories.set(key(a, b), f(a, b));
  });
}
const ignoredRoles = new Set(truth.ignore_roles);
for (const group of truth.near_dup_groups) {
  eachPair(group, (a, b) => {
    if (ignoredRoles.has(meta(a).role) || ignoredRoles.has(meta(b).role))
      return { kind: 'ignored', label: '' };
    const variant =
      meta(a).of === picture(b).path ? meta(a) : meta(b).of === picture(a).path ? meta(b) : null;
    if (!variant) return { kind: 'positive', label: 'variant↔variant' };
    return { kind: 'positive', label: variant.role === 'copy' ? 'exact copy' : (variant.transform ?? '?') };
  });
}
for (const burst of truth.bursts) eachPair(burst, () => ({ kind: 'burst', label: 'burst frames' }));
for (const [a, b, type] of truth.hard_negative_pairs) {
  eachPair([a, b], () => ({ kind: 'hard negative', label: type.split(':')[0] ?? type }));
}
for (const [a, b] of truth.ignore_pairs) eachPair([a, b], () => ({ kind: 'ignored', label: '' }));

// ---- 3. candidates and verification ---------------------------------------------------------------
const probes = pictures.map((p) =>
  candidateQueries(p.set).map((q) => ({ ...q, sig: signatureFromHex(q.hash) })),
);
/** Smallest probe distance over both directions, and the transforms of b (onto a) that reach it. */
function probePair(a: number, b: number): { bits: number; hints: Set<DihedralTransform> } {
  let bits = 64;
  const hints = new Set<DihedralTransform>();
  const consider = (
    query: number,
    stored: number,
    asHintForB: (t: DihedralTransform) => DihedralTransform,
  ) => {
    for (const probe of probes[query] ?? []) {
      const s = picture(stored).stored[probe.index];
      const d = hammingDistance(s.hi, s.lo, probe.sig.hi, probe.sig.lo);
      if (d < bits) hints.clear();
      if (d <= bits) hints.add(asHintForB(probe.transform));
      bits = Math.min(bits, d);
    }
  };
  consider(b, a, (t) => t);
  consider(a, b, inverseTransform);
  return { bits, hints };
}

interface PairRow {
  a: number;
  b: number;
  kind: Kind;
  label: string;
  bits: number;
  phashBits: number;
  /** Verification score (for candidates, and for every labelled pair for the distributions). */
  score: number | null;
  /** The probe transform that gave the score. */
  hint: DihedralTransform | undefined;
  distinctCaptures: boolean;
}
const rows: PairRow[] = [];
for (let a = 0; a < n; a++) {
  for (let b = a + 1; b < n; b++) {
    const { kind, label } = categories.get(key(a, b)) ?? { kind: 'negative', label: 'other pairs' };
    if (kind === 'ignored') continue;
    const { bits, hints } = probePair(a, b);
    let score: number | null = null;
    let hint: DihedralTransform | undefined;
    if (bits <= CANDIDATE_RADIUS_BITS || kind !== 'negative') {
      const started = performance.now();
      for (const transform of hints) {
        const verification = verifyPair(picture(a).set, picture(b).set, transform);
        if (score === null || verification.score > score) [score, hint] = [verification.score, transform];
      }
      timing.verify += performance.now() - started;
      timing.verifications += hints.size;
    }
    const [fa, fb] = [picture(a).stored.full, picture(b).stored.full];
    const phashBits = hammingDistance(fa.hi, fa.lo, fb.hi, fb.lo);
    const distinctCaptures = captureTimesDiffer(picture(a).captureLocal, picture(b).captureLocal);
    rows.push({ a, b, kind, label, bits, phashBits, score, hint, distinctCaptures });
  }
}
const candidates = rows.filter((r) => r.bits <= CANDIDATE_RADIUS_BITS && r.score !== null);
const warmStart = performance.now();
for (const r of candidates) verifyPair(picture(r.a).set, picture(r.b).set, r.hint);
const warm = (performance.now() - warmStart) / candidates.length;
console.log(
  `verifyPair: ${(timing.verify / timing.verifications).toFixed(3)} ms per call with cold caches ` +
    `(${timing.verifications} calls); ${warm.toFixed(3)} ms warm (the ${candidates.length} candidates again)`,
);

// Pictures of one series (../shared/corpus/sources.tsv: a stereo pair, calibration shots…) or one source
// (disjoint tiles) are legitimately alike; "unrelated" pairs are what a large library is mostly made of.
const seriesOfSource = new Map(
  readFileSync(path.join(path.dirname(scorer), 'sources.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map((columns) => [columns[0] ?? '', columns[4] || columns[0] || ''] as const),
);
const seriesOf = (i: number): string => {
  const source = (truth.files[picture(i).path] as { source?: string } | undefined)?.source ?? '';
  return seriesOfSource.get(source) ?? source;
};
console.log(`\ncandidates per radius (probes of candidateQueries, ${n} pictures, ${rows.length} pairs)`);
const positives = rows.filter((r) => r.kind === 'positive');
const unrelated = rows.filter((r) => r.kind === 'negative' && seriesOf(r.a) !== seriesOf(r.b));
for (const radius of [8, 10, 12, 14, 16]) {
  const found = positives.filter((r) => r.bits <= radius).length;
  const falseCandidates = unrelated.filter((r) => r.bits <= radius).length;
  // With none seen, the rate is below one in the number of pairs looked at.
  const rate = Math.max(falseCandidates, 1) / unrelated.length;
  const bound = falseCandidates ? '' : '<';
  console.log(
    `  ≤${String(radius).padStart(2)} bits: ${String(rows.filter((r) => r.bits <= radius).length).padStart(6)} pairs, ` +
      `true-pair recall ${(found / positives.length).toFixed(3)}, unrelated ${falseCandidates}/${unrelated.length} ` +
      `(${bound}${rate.toExponential(1)}: ${bound || '≈'}${((rate * 1e12) / 2).toExponential(1)} pairs among 1M pictures)`,
  );
}

// ---- 4. score distributions --------------------------------------------------------------------------
const quantiles = (xs: number[]): string => {
  const s = [...xs].sort((x, y) => x - y);
  const q = (p: number): string => (s[Math.floor(p * (s.length - 1))] ?? NaN).toFixed(3);
  return s.length ? `min ${q(0)}  p05 ${q(0.05)}  median ${q(0.5)}  max ${q(1)}` : '-';
};
console.log('\nverification scores (true pairs: variant↔original by transform; others by kind)');
const byLabel = new Map<string, number[]>();
for (const r of rows) {
  if (r.score === null) continue;
  const name = r.kind === 'positive' ? `true: ${r.label}` : `${r.kind}: ${r.label}`;
  byLabel.set(name, [...(byLabel.get(name) ?? []), r.score]);
}
for (const [name, scores] of [...byLabel].sort())
  console.log(`  ${name.padEnd(34)} n ${String(scores.length).padStart(5)}  ${quantiles(scores)}`);

// ---- 5. groupings, scored by score.mjs ---------------------------------------------------------------
const groupsOf = (edges: PairRow[]): string[][] =>
  connectedComponents(edges.map((r) => ({ a: picture(r.a).path, b: picture(r.b).path, score: 1 })));
const score = (tool: string, groups: string[][], file?: string): Promise<ScoreResult> =>
  scoreGrouping(truthPath, work, { tool, groups, root }, file);
const f3 = (x: number | null): string => (x === null ? '  -  ' : x.toFixed(3));
const line = (name: string, s: ScoreResult): string =>
  `  ${name.padEnd(42)} P ${f3(s.near_dup.precision)}  R ${f3(s.near_dup.recall)}  F1 ${f3(s.near_dup.f1)}` +
  `  (fp ${s.near_dup.fp}, bursts grouped ${s.burst_pairs_grouped.grouped}/${s.burst_pairs_grouped.pairs})`;
const duplicates = (threshold: number, evidence: boolean): PairRow[] =>
  candidates.filter(
    (r) =>
      classifyPair(
        r.score ?? 0,
        { ...DEFAULT_THRESHOLDS, duplicate: threshold },
        {
          distinctCaptures: evidence && r.distinctCaptures,
        },
      ) === 'duplicate',
  );

console.log('\nnear-duplicate pairwise P/R/F1 (score.mjs; groups = connected components of duplicate pairs)');
const mainGroups = groupsOf(duplicates(DEFAULT_THRESHOLDS.duplicate, true));
const main = await score('photo-sync', mainGroups, values.out ? path.resolve(values.out) : undefined);
console.log(line(`photo-sync (score ≥ ${DEFAULT_THRESHOLDS.duplicate}, capture-time rule)`, main));
// As production will group: star clusters around keepers chosen by the default keeper rules.
const keeperOf = new Map(pictures.map((p) => [p.path, p.keeper]));
const rank = (ids: readonly string[]): string[] =>
  rankKeepers(
    ids.flatMap((id) => keeperOf.get(id) ?? []),
    defaultNearKeeperRules,
  ).map((r) => r.candidate.id);
const edges = duplicates(DEFAULT_THRESHOLDS.duplicate, true).map((r) => ({
  a: picture(r.a).path,
  b: picture(r.b).path,
  score: r.score ?? 0,
}));
const stars = clusterAroundKeepers(edges, rank, { minScore: 0 }).map((c) => c.members.map((m) => m.id));
console.log(line('  same pairs, star clusters around keepers', await score('photo-sync-star', stars)));
for (const threshold of [0.85, 0.88, 0.9, 0.92, 0.94, 0.96]) {
  const s = await score(`pixels-${threshold}`, groupsOf(duplicates(threshold, false)));
  console.log(line(`  pixels only, score ≥ ${threshold}`, s));
}
for (const bits of [4, 6, 8, 10, 12]) {
  const s = await score(`phash-${bits}`, groupsOf(rows.filter((r) => r.phashBits <= bits)));
  console.log(line(`baseline: one pHash, ≤ ${bits} bits`, s));
}
if (!values['no-peer']) {
  const peer = await findimagedupes(root);
  console.log(
    peer
      ? line(
          `findimagedupes (default 90%, ${peer.seconds.toFixed(0)} s)`,
          await score('findimagedupes', peer.groups),
        )
      : '  findimagedupes: not installed',
  );
}

console.log('\nphoto-sync per-transform recall (variant grouped with its original)');
for (const [name, t] of Object.entries(main.per_transform_recall).sort()) {
  console.log(`  ${name.padEnd(12)} ${t.found}/${t.n}  ${t.recall.toFixed(3)}`);
}
console.log('hard negatives grouped as duplicates');
for (const [name, h] of Object.entries(main.hard_negatives_grouped))
  console.log(`  ${name.padEnd(22)} ${h.grouped}/${h.n}`);
if (values.out) console.log(`\nprediction written to ${path.resolve(values.out)}`);
process.exit(0);
