/**
 * npm run bench:accuracy -- <corpus dir> [--threshold 95]
 *
 * Pairwise precision / recall / F1 of the headless scan against the corpus ground truth
 * (<corpus>.truth.json, scored by ../shared/corpus/score.mjs), for exact and near duplicates, and
 * the same for findimagedupes run on the same files in the same run; then the insights: RAW+JPEG /
 * version pairing, bursts (pairwise F1 and whether the recommended frame is the sharpest) and
 * low-quality precision / recall.
 *
 * Held-out folds: the corpus's sources (`files[].source` in the truth) are split into two halves
 * (sorted, alternating). For each half, the quality thresholds are calibrated on the OTHER half
 * (F1-optimal per threshold, the product default breaking ties) and precision / recall are reported
 * on this half only, next to the product defaults on the same half. Near-duplicate scores are also
 * given per half (the duplicate threshold is the product default; nothing is fitted per fold). Edits
 * (grayscale, sepia, colour grade: transforms named in EDIT_TRANSFORMS) are versions, not
 * duplicates: their pairs are left out of the near-duplicate score and counted on their own —
 * how many land in a removal (exact/near) group, which must be none.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ScanReport } from '../src/report/scan-report.js';
import { scoreGrouping, type Score, type ScoreResult } from './corpus-score.js';
import { scoreInsights } from './insight-score.js';
import { findimagedupes, headlessScan } from './support.js';
import { foldReport, type FoldTruth } from './accuracy-folds.js';
import type { InsightSubject } from '../src/domain/insights/insight-subject.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { threshold: { type: 'string' } },
});
const corpus = positionals[0] ? path.resolve(positionals[0]) : undefined;
if (!corpus) {
  console.error('usage: npm run bench:accuracy -- <corpus dir> [--threshold 95]');
  process.exit(2);
}
const truth = `${corpus}.truth.json`;
await fs.access(truth).catch(() => {
  console.error(`no ground truth at ${truth}: build the corpus with ../shared/corpus/make-corpus.sh`);
  process.exit(2);
});

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'accuracy-'));
const score = (tool: string, groups: string[][], wall: number): Promise<ScoreResult> =>
  scoreGrouping(truth, tmp, { tool, groups, root: corpus, wall });

const f = (x: number | null) => (x === null ? '  -  ' : x.toFixed(3));
const line = (name: string, s: Score) =>
  `  ${name.padEnd(6)} P ${f(s.precision)}  R ${f(s.recall)}  F1 ${f(s.f1)}   (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

console.log(`bench:accuracy — ${corpus}\n`);
const started = performance.now();
let subjects: readonly InsightSubject[] = [];
const report: ScanReport = await headlessScan(corpus, {
  exactOnly: false,
  onSubjects: (list) => (subjects = list),
  ...(values.threshold ? { threshold: Number(values.threshold) / 100 } : {}),
});
const wall = (performance.now() - started) / 1000;
const exactGroups = report.exact.map((g) => g.members.map((m) => m.path));
const nearGroups = report.near.map((g) => g.members.map((m) => m.path));
// Exact is scored on exact groups alone; near duplicates on everything offered as "the same picture".
const ours = {
  exact: await score('photo-sync-exact', exactGroups, wall),
  near: await score('photo-sync', [...exactGroups, ...nearGroups], wall),
};
console.log(
  `photo-sync (threshold ${report.options.threshold}%, ${wall.toFixed(1)} s, ${report.summary.filesScanned} files)`,
);
console.log(line('exact', ours.exact.exact));
console.log(line('near', ours.near.near_dup));
console.log(
  "  (this line counts the truth's black-and-white edits as duplicates; they are versions now — see the held-out folds below, which score them on their own)",
);
console.log(
  `  per transform recall: ${Object.entries(ours.near.per_transform_recall)
    .map(([t, v]) => `${t} ${v.found}/${v.n}`)
    .join(', ')}`,
);
console.log(
  `  hard negatives grouped: ${Object.entries(ours.near.hard_negatives_grouped)
    .map(([t, v]) => `${t} ${v.grouped}/${v.n}`)
    .join(', ')}`,
);
const similarPairs = report.similar.reduce((s, g) => s + (g.members.length * (g.members.length - 1)) / 2, 0);
console.log(
  `  similar tier: ${report.similar.length} groups (${similarPairs} pairs); burst pairs in duplicate groups: ${ours.near.burst_pairs_grouped.grouped}/${ours.near.burst_pairs_grouped.pairs}`,
);

const ins = await scoreInsights(report, corpus, truth);
const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(0)}%`);
console.log('\ninsights (same report)');
console.log(line('pairs', ins.pairing));
console.log(line('bursts', ins.bursts));
console.log(
  `  best frame = sharpest (libvips, full size): ${ins.bestFrame.correct}/${ins.bestFrame.bursts} (${pct(ins.bestFrame.correct, ins.bestFrame.bursts)})`,
);
const shares = [...ins.bestFrame.shares].sort((a, b) => a - b);
if (shares.length > 0)
  console.log(
    `  recommended frame's sharpness as a share of the sharpest frame's: ${shares.map((x) => x.toFixed(2)).join(' ')} (within 5 %: ${shares.filter((x) => x >= 0.95).length}/${shares.length})`,
  );
console.log(line('lowq', ins.lowQuality));
if (ins.lowQualityMissed.length > 0) console.log(`  low quality missed: ${ins.lowQualityMissed.join('; ')}`);
if (ins.lowQualityExtra.length > 0)
  console.log(`  flagged but not labelled: ${ins.lowQualityExtra.join('; ')}`);
console.log(
  `  also found: ${report.summary.versionStacks} version stacks, ${report.summary.bursts} bursts, ${report.summary.suggestions} suggestions`,
);
console.log(
  'insight targets: pairing P = R = 1.0; bursts F1 >= 0.9, best frame >= 90%; low quality P >= 0.9, R >= 0.9',
);

const folds = await foldReport({
  report,
  subjects,
  corpus,
  truth: JSON.parse(await fs.readFile(truth, 'utf8')) as FoldTruth,
  workDir: tmp,
});
console.log(`\n${folds.text}`);

const fid = await findimagedupes(corpus);
if (!fid) {
  console.log('\nfindimagedupes: not installed (apt-get install findimagedupes) — no comparison in this run');
} else {
  const theirs = await score('findimagedupes', fid.groups, fid.seconds);
  console.log(`\nfindimagedupes (default threshold, ${fid.seconds.toFixed(1)} s)`);
  console.log(line('exact', theirs.exact));
  console.log(line('near', theirs.near_dup));
  const a = ours.near.near_dup.f1 ?? 0;
  const b = theirs.near_dup.f1 ?? 0;
  console.log(
    `\nnear-duplicate F1: photo-sync ${a.toFixed(3)} vs findimagedupes ${b.toFixed(3)} (${a > b ? 'better' : 'NOT better'})`,
  );
}
console.log('targets: exact P = R = 1.0; near P >= 0.99, R >= 0.95, F1 above findimagedupes');
await fs.rm(tmp, { recursive: true, force: true });
