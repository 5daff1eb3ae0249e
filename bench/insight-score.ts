/**
 * Scores the headless report's insight sections against the corpus ground truth
 * (<corpus>.truth.json: `raw_jpeg_pairs`, `bursts`, `low_quality`). Paths in the truth are relative
 * to the corpus root; the report's are absolute.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ScanReport } from '../src/report/scan-report.js';
import type { Score } from './corpus-score.js';

export type PairScore = Score;

interface Truth {
  raw_jpeg_pairs: [string, string][];
  bursts: string[][];
  low_quality: { path: string; kind: string }[];
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

function score(predicted: ReadonlySet<string>, truth: ReadonlySet<string>): PairScore {
  let tp = 0;
  for (const k of predicted) if (truth.has(k)) tp++;
  const fp = predicted.size - tp;
  const fn = truth.size - tp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : null;
  return { precision, recall, f1, tp, fp, fn };
}

function pairsOf(groups: readonly (readonly string[])[]): Set<string> {
  const out = new Set<string>();
  for (const g of groups) {
    const sorted = [...g].sort();
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) out.add(`${sorted[i]}\u0000${sorted[j]}`);
  }
  return out;
}

export interface InsightScores {
  pairing: PairScore;
  bursts: PairScore;
  /**
   * Bursts matched exactly (same frame set) whose recommended frame is the sharpest by libvips, and
   * for each such burst the recommended frame's sharpness as a share of the sharpest frame's (1 when
   * it is the sharpest): unblurred frames of one burst differ by noise, so a miss by a few percent is
   * a tie, while a blurred frame scores far lower.
   */
  bestFrame: { correct: number; bursts: number; shares: number[] };
  lowQuality: PairScore;
  lowQualityMissed: string[];
  lowQualityExtra: string[];
}

/**
 * The reference "sharpest frame" is measured independently of our pipeline: libvips' sharpness
 * estimate at full resolution (the truth does not label per-frame blur).
 */
async function frameSharpness(root: string, frames: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of frames) out.set(f, (await sharp(path.join(root, f)).greyscale().stats()).sharpness);
  return out;
}

export async function scoreInsights(
  report: ScanReport,
  root: string,
  truthFile: string,
): Promise<InsightScores> {
  const truth = JSON.parse(await fs.readFile(truthFile, 'utf8')) as Truth;
  const rel = (p: string) => path.relative(root, p);

  const pairing = score(
    pairsOf(report.versions.map((v) => v.members.map((m) => rel(m.path)))),
    pairsOf(truth.raw_jpeg_pairs),
  );
  const predictedBursts = report.bursts.map((b) => b.frames.map((f) => rel(f.path)));
  const bursts = score(pairsOf(predictedBursts), pairsOf(truth.bursts));

  let correct = 0;
  const shares: number[] = [];
  const truthSets = new Map(truth.bursts.map((b) => [[...b].sort().join('\u0000'), b]));
  for (const b of report.bursts) {
    const frames = b.frames.map((f) => rel(f.path));
    if (!truthSets.has([...frames].sort().join('\u0000'))) continue;
    const sharpness = await frameSharpness(root, frames);
    const sharpest = Math.max(...sharpness.values());
    const mine = sharpness.get(rel(b.recommended)) ?? 0;
    if (mine === sharpest) correct++;
    shares.push(sharpest > 0 ? mine / sharpest : 1);
  }

  const flagged = new Set(report.quality.map((q) => rel(q.path)));
  const expected = new Set(truth.low_quality.map((l) => l.path));
  const lowQuality = score(flagged, expected);
  return {
    pairing,
    bursts,
    bestFrame: { correct, bursts: truth.bursts.length, shares },
    lowQuality,
    lowQualityMissed: truth.low_quality
      .filter((l) => !flagged.has(l.path))
      .map((l) => `${l.path} (${l.kind})`),
    lowQualityExtra: [...flagged].filter((p) => !expected.has(p)),
  };
}
