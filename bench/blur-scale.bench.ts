/**
 * npm run bench -- blur-scale <corpus dir> [<corpus dir> …]
 *
 * Experiment behind docs/INSIGHTS.md "Quality": can a two-scale measure tell a DEFOCUSED picture
 * (fine detail gone, coarse structure kept) from a FEATURELESS or merely soft one, where the
 * absolute focusDetail rule cannot? For every image of each corpus (decoded like ingest: the
 * working raster, luma, 512 px long edge) it prints, per held-out half (the bench:accuracy split):
 *
 * - focusDetail (the shipped measure);
 * - coarse detail: the best tile's mean squared Laplacian on the plane reduced 8× (64 px tiles of
 *   the 512 px picture), normalised like focusDetail — structure that survives defocus;
 * - fine/coarse ratio: Laplacian energy on the halved plane over that on the plane reduced 4×, summed
 *   over the three tiles with the most coarse-scale structure (featureless tiles do not vote) —
 *   defocus lowers it, noise on a featureless picture raises it.
 *
 * Then the unlabelled pictures the absolute rule (focusDetail < 16) flags, and how many each gate
 * would keep, with the gate calibrated on the half that holds the truth's naturally blurred pictures
 * (the loosest value that still flags them). Labels come from the truth's `lowq` kind only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_THUMBNAIL_SIZE } from '../src/media/working-raster.js';
import { decodePicture } from '../src/media/decode-picture.js';
import { detectKind } from '../src/domain/detect-kind.js';
import { resizeLuma, toLuma } from '../src/media/raster-ops.js';
import { measureQuality, QUALITY_LONG_EDGE, type LumaPlane } from '../src/domain/quality-measure.js';
import { sourceHalves, type FoldTruth } from './accuracy-folds.js';

const BLURRY_FOCUS_DETAIL = 16;
const TILE = 32;

interface Plane {
  data: Float32Array;
  width: number;
  height: number;
}
interface Measured {
  source: string;
  label: 'natural' | 'synthetic' | 'none';
  focus: number;
  coarse: number;
  ratio: number;
}

function halve(p: Plane): Plane {
  const width = p.width >> 1;
  const height = p.height >> 1;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = 2 * y * p.width + 2 * x;
      data[y * width + x] =
        ((p.data[i] as number) +
          (p.data[i + 1] as number) +
          (p.data[i + p.width] as number) +
          (p.data[i + p.width + 1] as number)) /
        4;
    }
  return { data, width, height };
}

/** Mean squared 4-neighbour Laplacian per tile of side `tile`, on an `nx`×`ny` grid. */
function tileEnergy(p: Plane, tile: number, nx: number, ny: number): number[] {
  const sum = new Float64Array(nx * ny);
  const count = new Uint32Array(nx * ny);
  for (let y = 1; y < p.height - 1; y++) {
    const ty = Math.floor(y / tile);
    if (ty >= ny) continue;
    for (let x = 1; x < p.width - 1; x++) {
      const tx = Math.floor(x / tile);
      if (tx >= nx) continue;
      const i = y * p.width + x;
      const r =
        (p.data[i - 1] as number) +
        (p.data[i + 1] as number) +
        (p.data[i - p.width] as number) +
        (p.data[i + p.width] as number) -
        4 * (p.data[i] as number);
      const t = ty * nx + tx;
      sum[t] = (sum[t] as number) + r * r;
      count[t] = (count[t] as number) + 1;
    }
  }
  return [...sum].map((s, t) => ((count[t] as number) > 0 ? s / (count[t] as number) : 0));
}

function measureScales(luma: LumaPlane): Pick<Measured, 'focus' | 'coarse' | 'ratio'> {
  const q = measureQuality(luma, 'ok');
  const half = halve({ data: Float32Array.from(luma.data), width: luma.width, height: luma.height });
  const quarter = halve(half);
  const eighth = halve(quarter);
  const nx = Math.max(1, Math.floor(half.width / TILE));
  const ny = Math.max(1, Math.floor(half.height / TILE));
  const fine = tileEnergy(half, TILE, nx, ny);
  const mid = tileEnergy(quarter, TILE / 2, nx, ny);
  const coarse = tileEnergy(eighth, TILE / 4, nx, ny);
  const range = Math.max(16, (q.lumaP99 ?? 255) - (q.lumaP1 ?? 0));
  const structured = [...mid.keys()].sort((a, b) => (mid[b] as number) - (mid[a] as number)).slice(0, 3);
  const sumOf = (e: number[]) => structured.reduce((s, t) => s + (e[t] as number), 0);
  return {
    focus: q.focusDetail ?? 0,
    coarse: (1000 * Math.max(...coarse)) / (range * range),
    ratio: sumOf(fine) / Math.max(1e-9, sumOf(mid)),
  };
}

async function measureCorpus(corpus: string): Promise<{ measured: Measured[]; halves: Set<string>[] }> {
  const truth = JSON.parse(await fs.readFile(`${corpus}.truth.json`, 'utf8')) as FoldTruth;
  const measured: Measured[] = [];
  for (const [rel, m] of Object.entries(truth.files)) {
    const kind = typeof m['lowq'] === 'string' ? m['lowq'] : undefined;
    // Damaged files are judged by their integrity, RAW and video not by these measures.
    if (m.media !== 'image' || m.role === 'raw' || kind === 'truncated' || kind === 'corrupted') continue;
    if (!m.source) continue;
    // The product's decoders (HEIC included), at the product's working size.
    const bytes = await fs.readFile(path.join(corpus, rel));
    const { decoded } = await decodePicture(bytes, detectKind(bytes, rel), null, DEFAULT_THUMBNAIL_SIZE);
    if (!decoded) continue;
    const luma = toLuma(decoded.raster);
    const scale = QUALITY_LONG_EDGE / Math.max(luma.width, luma.height);
    const plane = resizeLuma(
      luma,
      Math.max(1, Math.round(luma.width * scale)),
      Math.max(1, Math.round(luma.height * scale)),
    );
    const label = kind === 'natural' ? 'natural' : kind === 'blur' ? 'synthetic' : 'none';
    // Exposure variants are labelled for exposure, not blur: leave them out of the blur comparison.
    if (kind !== undefined && label === 'none') continue;
    measured.push({ source: m.source, label, ...measureScales(plane) });
  }
  return { measured, halves: sourceHalves(truth) };
}

const quantiles = (values: number[]) => {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => +(v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? NaN).toPrecision(3);
  return v.length === 0
    ? '—'
    : `min ${at(0)}, q25 ${at(0.25)}, median ${at(0.5)}, q75 ${at(0.75)}, max ${at(1)}`;
};

const corpora = process.argv.slice(2).map((c) => path.resolve(c));
if (corpora.length === 0) {
  console.error('usage: npm run bench -- blur-scale <corpus dir> [<corpus dir> …]');
  process.exit(2);
}
for (const corpus of corpora) {
  const { measured, halves } = await measureCorpus(corpus);
  const natural = measured.filter((m) => m.label === 'natural');
  const naturalSources = new Set(natural.map((m) => m.source));
  // Gates calibrated on the pictures the truth calls naturally blurred: the loosest value keeping them.
  const minCoarse = Math.min(...natural.map((m) => m.coarse));
  const maxRatio = Math.max(...natural.map((m) => m.ratio));
  console.log(`${path.basename(corpus)}: ${measured.length} pictures measured`);
  console.log(
    `  naturally blurred: ${natural.map((m) => `focus ${m.focus.toFixed(1)} coarse ${m.coarse.toFixed(0)} ratio ${m.ratio.toFixed(3)}`).join('; ')}`,
  );
  console.log(
    `  synthetic blur versions: ratio ${quantiles(measured.filter((m) => m.label === 'synthetic').map((m) => m.ratio))}`,
  );
  const passing = measured.filter((m) => m.label === 'none' && m.focus >= BLURRY_FOCUS_DETAIL);
  console.log(
    `  unlabelled with focusDetail ≥ ${BLURRY_FOCUS_DETAIL} (${passing.length}): coarse ${quantiles(passing.map((m) => m.coarse))}; ratio ${quantiles(passing.map((m) => m.ratio))}`,
  );
  halves.forEach((half, h) => {
    const inHalf = measured.filter((m) => half.has(m.source));
    const flagged = inHalf.filter((m) => m.label === 'none' && m.focus < BLURRY_FOCUS_DETAIL);
    const ofNatural = flagged.filter((m) => naturalSources.has(m.source)).length;
    const keptCoarse = flagged.filter((m) => m.coarse >= minCoarse).length;
    const keptRatio = flagged.filter((m) => m.ratio <= maxRatio).length;
    console.log(
      `  fold ${h + 1}: ${inHalf.filter((m) => m.label === 'natural').length} naturally blurred; unlabelled with focusDetail < ${BLURRY_FOCUS_DETAIL}: ${flagged.length} (${ofNatural} of a naturally blurred source)`,
    );
    console.log(`    their coarse detail: ${quantiles(flagged.map((m) => m.coarse))}`);
    console.log(`    their fine/coarse ratio: ${quantiles(flagged.map((m) => m.ratio))}`);
    console.log(
      `    still flagged with coarse ≥ ${minCoarse.toFixed(0)} (structure present): ${keptCoarse}; with ratio ≤ ${maxRatio.toFixed(3)} (defocus): ${keptRatio}`,
    );
  });
}
