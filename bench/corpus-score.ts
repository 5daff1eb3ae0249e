/** Scoring a predicted grouping against a corpus ground truth with ../shared/corpus/score.mjs. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './support.js';

export const corpusScorer = path.resolve(import.meta.dirname, '../../shared/corpus/score.mjs');

export interface Score {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  tp: number;
  fp: number;
  fn: number;
}

export interface ScoreResult {
  exact: Score;
  near_dup: Score;
  per_transform_recall: Record<string, { n: number; found: number; recall: number }>;
  hard_negatives_grouped: Record<string, { n: number; grouped: number }>;
  burst_pairs_grouped: { pairs: number; grouped: number };
}

export interface Prediction {
  tool: string;
  groups: string[][];
  /** Corpus root: the scorer cuts it off absolute paths. */
  root: string;
  wall?: number;
}

/** Writes the prediction to `file` (default: `<workDir>/<tool>.json`) and returns score.mjs's result. */
export async function scoreGrouping(
  truth: string,
  workDir: string,
  p: Prediction,
  file?: string,
): Promise<ScoreResult> {
  const pred = file ?? path.join(workDir, `${p.tool}.json`);
  const out = path.join(workDir, `${p.tool}.score.json`);
  await fs.writeFile(
    pred,
    JSON.stringify({ tool: p.tool, groups: p.groups, root: `${p.root}/`, wall_s: p.wall ?? null }),
  );
  const r = await run(process.execPath, [corpusScorer, truth, pred, '--json', out]);
  if (r.code !== 0) throw new Error(`score.mjs failed: ${r.stderr}`);
  return JSON.parse(await fs.readFile(out, 'utf8')) as ScoreResult;
}
