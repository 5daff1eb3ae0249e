/**
 * Held-out scoring for bench:accuracy: the corpus's sources split in two halves; quality thresholds
 * calibrated on one half and scored on the other (both ways), near duplicates, crops, small rotations
 * and edits scored per half. Nothing here knows a file name: halves come from the truth's `source`
 * field, labels from its `low_quality`, `near_dup_groups` and `transform` fields.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { InsightSubject } from '../src/domain/insights/insight-subject.js';
import {
  assessQuality,
  judgeAgainstSiblings,
  QUALITY_THRESHOLDS,
  type QualityAssessment,
  type QualityThresholds,
} from '../src/domain/insights/quality-scoring.js';
import type { QualityMetrics } from '../src/domain/quality-metrics.js';
import type { ScanReport } from '../src/report/scan-report.js';
import sharp from 'sharp';
import { colourEdit, computeColourGrid } from '../src/domain/near-duplicate/index.js';
import { scoreGrouping, type Score } from './corpus-score.js';

export interface FoldTruth {
  files: Record<
    string,
    { source?: string; role: string; transform?: string; of?: string; media?: string; [k: string]: unknown }
  >;
  exact_groups: string[][];
  near_dup_groups: string[][];
  bursts: string[][];
  hard_negative_pairs: [string, string, string][];
  ignore_pairs?: [string, string][];
  low_quality: { path: string; kind: string; of?: string }[];
  raw_jpeg_pairs: [string, string][];
  [k: string]: unknown;
}

/** Transforms that are deliberate edits (versions), never duplicates to remove. */
export const EDIT_TRANSFORMS: ReadonlySet<string> = new Set([
  'gray',
  'grayscale',
  'sepia',
  'grade',
  'graded',
  'colour-grade',
  'color-grade',
]);

/** The thresholds calibrated per fold, each with the measure it applies to. */
const CALIBRATED: readonly {
  key: keyof QualityThresholds;
  of: (q: QualityMetrics) => number | undefined;
}[] = [
  { key: 'blurryFocusDetail', of: (q) => q.focusDetail },
  { key: 'darkBrightestLuma', of: (q) => q.lumaP999 },
  { key: 'overexposedClippedHighlights', of: (q) => q.clippedHighlights },
];

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
function prf(flagged: ReadonlySet<string>, expected: ReadonlySet<string>): Score {
  let tp = 0;
  for (const f of flagged) if (expected.has(f)) tp++;
  const precision = ratio(tp, flagged.size);
  const recall = ratio(tp, expected.size);
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : null;
  return { precision, recall, f1, tp, fp: flagged.size - tp, fn: expected.size - tp };
}

/** Assessments under thresholds `t`: the same functions as the product, on these subjects only. */
function assessUnder(
  subjects: readonly InsightSubject[],
  t: QualityThresholds,
): Map<string, QualityAssessment> {
  const assessments = new Map<string, QualityAssessment>();
  for (const s of subjects) {
    const a = assessQuality(s.quality, s.problemCode, t);
    if (a) assessments.set(s.id, a);
  }
  judgeAgainstSiblings(subjects, assessments, t);
  return assessments;
}

/** Flagged subjects (by id) under thresholds `t`. */
export function flaggedUnder(subjects: readonly InsightSubject[], t: QualityThresholds): Set<string> {
  return new Set([...assessUnder(subjects, t)].filter(([, a]) => a.labels.length > 0).map(([id]) => id));
}

/**
 * The rule behind each unlabelled flag ("very blurry/absolute" …), and how many of them are crops of
 * a picture the truth itself labels naturally blurred (same source as a `natural_blur` label): the
 * truth labels the full frame only, so its crops count as false positives though they are as soft.
 */
function falsePositiveRules(
  subjects: readonly InsightSubject[],
  t: QualityThresholds,
  expected: ReadonlySet<string>,
  truth: FoldTruth,
): string {
  const naturallyBlurred = new Set(
    truth.low_quality
      .filter((l) => l.kind === 'natural_blur')
      .flatMap((l) => truth.files[l.path]?.source ?? []),
  );
  const rules = new Map<string, number>();
  let crops = 0;
  for (const [id, a] of assessUnder(subjects, t)) {
    if (a.labels.length === 0 || expected.has(id)) continue;
    const first = a.flags[0];
    const rule = first ? `${first.label}/${first.basis}` : '?';
    rules.set(rule, (rules.get(rule) ?? 0) + 1);
    const source = truth.files[id]?.source;
    if (source !== undefined && naturallyBlurred.has(source)) crops++;
  }
  const list = [...rules].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
  return `${list}; of them crops of a picture labelled naturally blurred: ${crops}`;
}

/**
 * Per threshold in turn, the candidate (midpoints of the values seen on the calibration half, and the
 * default) with the best F1 there; ties go to the candidate closest to the default.
 */
export function calibrate(
  subjects: readonly InsightSubject[],
  expected: ReadonlySet<string>,
): QualityThresholds {
  const t: QualityThresholds = { ...QUALITY_THRESHOLDS };
  for (const { key, of } of CALIBRATED) {
    const values = [
      ...new Set(subjects.flatMap((s) => (s.quality ? [of(s.quality)] : [])).filter((v) => v !== undefined)),
    ].sort((a, b) => a - b);
    const candidates = [t[key]];
    for (let i = 1; i < values.length; i++)
      candidates.push(((values[i - 1] as number) + (values[i] as number)) / 2);
    const dflt = QUALITY_THRESHOLDS[key];
    let best = { value: dflt, f1: -1, distance: 0 };
    for (const c of candidates) {
      const f1 = prf(flaggedUnder(subjects, { ...t, [key]: c }), expected).f1 ?? 0;
      const distance = Math.abs(Math.log((c + 1e-3) / (dflt + 1e-3)));
      if (f1 > best.f1 + 1e-9 || (Math.abs(f1 - best.f1) <= 1e-9 && distance < best.distance))
        best = { value: c, f1, distance };
    }
    t[key] = best.value;
  }
  return t;
}

const f = (x: number | null) => (x === null ? '  -  ' : x.toFixed(3));
const line = (name: string, s: Score) =>
  `    ${name.padEnd(18)} P ${f(s.precision)}  R ${f(s.recall)}  F1 ${f(s.f1)}   (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

/** The truth restricted to `files`, with every pair touching an edit moved to ignore_pairs. */
function truthSubset(truth: FoldTruth, files: ReadonlySet<string>, edits: ReadonlySet<string>): FoldTruth {
  const keep = (g: readonly string[]) => g.filter((p) => files.has(p));
  // score.mjs counts every pair of a near group as a positive (ignore_pairs only spare the predicted
  // side), so an edit leaves its group and each of its pairs is ignored when predicted.
  const ignore: [string, string][] = (truth.ignore_pairs ?? []).filter(
    ([a, b]) => files.has(a) && files.has(b),
  );
  for (const g of truth.near_dup_groups.map(keep))
    for (const e of g.filter((p) => edits.has(p))) for (const o of g) if (o !== e) ignore.push([e, o]);
  const near = truth.near_dup_groups
    .map((g) => keep(g).filter((p) => !edits.has(p)))
    .filter((g) => g.length > 1);
  return {
    ...truth,
    files: Object.fromEntries(Object.entries(truth.files).filter(([p]) => files.has(p))),
    exact_groups: truth.exact_groups.map(keep).filter((g) => g.length > 1),
    near_dup_groups: near,
    bursts: truth.bursts.map(keep).filter((g) => g.length > 1),
    hard_negative_pairs: truth.hard_negative_pairs.filter(([a, b]) => files.has(a) && files.has(b)),
    ignore_pairs: ignore,
    low_quality: truth.low_quality.filter((l) => files.has(l.path)),
    raw_jpeg_pairs: truth.raw_jpeg_pairs.filter(([a, b]) => files.has(a) && files.has(b)),
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * The two halves of the truth's sources. By a hash of the source name (FNV-1a), not by its position:
 * neighbouring names often share a kind of picture. Stratified: sources with a labelled low-quality
 * file alternate between the halves, and so do the others, so each half has about half of the labels.
 */
export function sourceHalves(truth: Pick<FoldTruth, 'files' | 'low_quality'>): [Set<string>, Set<string>] {
  const sources = [...new Set(Object.values(truth.files).flatMap((m) => (m.source ? [m.source] : [])))].sort(
    (a, b) => fnv1a(a) - fnv1a(b) || (a < b ? -1 : 1),
  );
  const labelled = new Set(truth.low_quality.flatMap((l) => truth.files[l.path]?.source ?? []));
  const halves: [Set<string>, Set<string>] = [new Set<string>(), new Set<string>()];
  for (const group of [sources.filter((s) => labelled.has(s)), sources.filter((s) => !labelled.has(s))])
    group.forEach((s, i) => halves[i % 2]?.add(s));
  return halves;
}

/**
 * Edits whose original has colour. A black-and-white conversion of a picture that has no colour to
 * begin with changes no pixel: it is a copy, and stays in the near-duplicate score.
 */
async function recolouringEdits(
  corpus: string,
  truth: FoldTruth,
): Promise<{ edits: Set<string>; colourless: number }> {
  const edits = new Set<string>();
  let colourless = 0;
  for (const [p, m] of Object.entries(truth.files)) {
    if (m.transform === undefined || !EDIT_TRANSFORMS.has(m.transform) || !m.of) continue;
    const { data, info } = await sharp(path.join(corpus, m.of))
      .rotate()
      .resize(512, 512, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const grid = computeColourGrid({
      data: new Uint8Array(data),
      width: info.width,
      height: info.height,
      channels: info.channels,
    });
    if (colourEdit(grid, new Int8Array(grid.length)) === null) colourless++;
    else edits.add(p);
  }
  return { edits, colourless };
}

export async function foldReport(o: {
  report: ScanReport;
  subjects: readonly InsightSubject[];
  corpus: string;
  truth: FoldTruth;
  workDir: string;
}): Promise<{ text: string }> {
  const { report, corpus, truth } = o;
  const rel = (p: string) => path.relative(corpus, p);
  const halves = sourceHalves(truth);
  const filesOf = (h: number) =>
    new Set(
      Object.entries(truth.files)
        .filter(([, m]) => m.source !== undefined && (halves[h] as Set<string>).has(m.source))
        .map(([p]) => p),
    );
  const subjectsOf = (files: ReadonlySet<string>) =>
    o.subjects.filter((s) => files.has(rel(s.path))).map((s) => ({ ...s, id: rel(s.path) }));
  const { edits: allEdits, colourless } = await recolouringEdits(corpus, truth);
  const sameAs = new Map<string, Set<string>>();
  for (const g of truth.near_dup_groups) for (const p of g) sameAs.set(p, new Set(g));
  const removalGroups = [...report.exact, ...report.near].map((g) => g.members.map((m) => rel(m.path)));
  const offered = [
    ...report.similar.map((g) => g.members.map((m) => rel(m.path))),
    ...report.versions.map((v) => v.members.map((m) => rel(m.path))),
  ];
  const out: string[] = [
    `held-out folds (${halves[0].size + halves[1].size} sources split in two halves; quality thresholds calibrated on the other half)`,
  ];
  const totals = { editsInRemoval: 0, edits: 0 };
  for (const h of [0, 1]) {
    const files = filesOf(h);
    const other = filesOf(1 - h);
    const expected = new Set(truth.low_quality.filter((l) => files.has(l.path)).map((l) => l.path));
    const otherExpected = new Set(truth.low_quality.filter((l) => other.has(l.path)).map((l) => l.path));
    const t = calibrate(subjectsOf(other), otherExpected);
    const held = subjectsOf(files);
    const calibrated = prf(flaggedUnder(held, t), expected);
    const defaults = prf(flaggedUnder(held, QUALITY_THRESHOLDS), expected);
    const sub = truthSubset(truth, files, allEdits);
    const truthFile = path.join(o.workDir, `fold-${h}.truth.json`);
    await fs.writeFile(truthFile, JSON.stringify(sub));
    const groups = removalGroups.map((g) => g.filter((p) => files.has(p))).filter((g) => g.length > 1);
    const near = await scoreGrouping(truthFile, o.workDir, {
      tool: `fold-${h}`,
      groups: groups.map((g) => g.map((p) => path.join(corpus, p))),
      root: corpus,
    });
    const recallOf = (t: string) => {
      const r = near.per_transform_recall[t];
      return r ? `${r.found}/${r.n} (${(r.found / r.n).toFixed(3)})` : '-';
    };
    const edits = Object.entries(sub.files).filter(([p]) => allEdits.has(p));
    // In a removal group with anything but a byte-identical copy of the edit itself.
    const sha = (p: string) => truth.files[p]?.sha256;
    const inRemoval = edits.filter(([p]) =>
      removalGroups.some((g) => g.includes(p) && g.some((q) => q !== p && sha(q) !== sha(p))),
    ).length;
    // Offered with its picture: the edit, or a byte-identical copy of it (an exact group keeps one
    // of them and offers that one), in a similar group or version stack with the original or one of
    // the original's copies.
    const asVersion = edits.filter(([p]) =>
      offered.some(
        (g) =>
          g.some((e) => sha(e) === sha(p)) &&
          g.some((q) => sha(q) !== sha(p) && (sameAs.get(p)?.has(q) ?? false)),
      ),
    ).length;
    totals.edits += edits.length;
    totals.editsInRemoval += inRemoval;
    out.push(
      `  fold ${h + 1} held out: ${halves[h]?.size} sources, ${files.size} files, ${expected.size} labelled low quality`,
      `    calibrated on fold ${2 - h}: ${CALIBRATED.map(({ key }) => `${key} ${+t[key].toFixed(3)}`).join(', ')}`,
      line('lowq (calibrated)', calibrated),
      line('lowq (defaults)', defaults),
      `    false positives by rule (defaults): ${falsePositiveRules(held, QUALITY_THRESHOLDS, expected, truth)}`,
      line('near (no edits)', near.near_dup),
      `    crop recall ${recallOf('crop')}, small-rotation recall ${recallOf('rot')}`,
      `    edits (${[...new Set(edits.map(([, m]) => m.transform))].join('/') || 'none'}): ${inRemoval}/${edits.length} in a removal group, ${asVersion}/${edits.length} offered as similar/version of their original`,
    );
  }
  out.push(
    `  edits of colourless originals (no pixel changes; scored as copies): ${colourless}`,
    `  targets (held out): lowq P >= 0.9, R >= 0.85; near P >= 0.99, R >= 0.95; crop and rotation recall >= 0.95; edits in removal groups 0 (here ${totals.editsInRemoval}/${totals.edits})`,
  );
  return { text: out.join('\n') };
}
