import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headlessScanFor } from '../../src/cli/scan-command.js';
import { loadConfig } from '../../src/config/config.js';

/**
 * The real-photo corpus (../shared/corpus, built by make-corpus.sh): its camera folders hold the
 * labelled RAW+JPEG pairs and bursts. The full scoring is `npm run bench:accuracy`.
 */
const corpus = process.env.PHOTO_SYNC_CORPUS ?? '/tmp/corpus/c1';
const truthFile = `${corpus}.truth.json`;
const present = await fs
  .access(truthFile)
  .then(() => true)
  .catch(() => false);
if (!present)
  console.log(
    `corpus-insights: skipped — no corpus at ${corpus} (build it with ../shared/corpus/make-corpus.sh)`,
  );

interface Truth {
  raw_jpeg_pairs: [string, string][];
  bursts: string[][];
}

describe.runIf(present)('insights on the real-photo corpus (camera folders)', () => {
  it('stacks every labelled RAW+JPEG pair and finds every labelled burst', async () => {
    const truth = JSON.parse(await fs.readFile(truthFile, 'utf8')) as Truth;
    const folders = [
      ...new Set([...truth.raw_jpeg_pairs.flat(), ...truth.bursts.flat()].map((p) => path.dirname(p))),
    ];
    const report = await headlessScanFor(
      loadConfig({}),
      folders.map((f) => path.join(corpus, f)),
      { exactOnly: false },
    );
    const rel = (p: string) => path.relative(corpus, p);
    const stacks = report.versions.map((v) => v.members.map((m) => rel(m.path)).sort());
    for (const pair of truth.raw_jpeg_pairs) expect(stacks).toContainEqual([...pair].sort());
    const bursts = report.bursts.map((b) => b.frames.map((f) => rel(f.path)).sort());
    for (const burst of truth.bursts) expect(bursts).toContainEqual([...burst].sort());
    expect(report.versions.every((v) => rel(v.primary).endsWith('.JPG'))).toBe(true);
  }, 120_000);
});
