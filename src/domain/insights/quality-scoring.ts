import { HammingIndex, signatureFromHex } from '../hamming-index.js';
import type { QualityMetrics } from '../quality-metrics.js';

/**
 * Quality score 0–100, labels and the flags behind them, from the measurements taken at ingest
 * (normalised 512 px long edge, see domain/quality-measure.ts). docs/INSIGHTS.md has the method and
 * the held-out measurements (`npm run bench:accuracy`).
 *
 * Every measure judged here is scale-free and self-normalised: the sharpness of the best-focused
 * region relative to the picture's own luminance range, and exposure from where the picture's
 * histogram ends (its brightest and darkest percentiles, its clipped share), never from its mean.
 * A picture with near-identical siblings (same pHash within a few bits: copies, versions, burst
 * frames, re-exports) is also judged against them: the frame clearly worse than its siblings is
 * flagged even when it would pass on its own.
 */

export type QualityLabel = 'very blurry' | 'too dark' | 'overexposed' | 'corrupted';

/** Why a picture is flagged: the label, a sentence, the measure and its value against the threshold. */
export interface QualityFlag {
  label: QualityLabel;
  /** `absolute` (the picture alone) or `relative` (against a near-identical sibling). */
  basis: 'absolute' | 'relative' | 'integrity';
  /** Name of the measured quantity (`focusDetail`, `lumaP999`, `clippedHighlights`, `integrity`…). */
  measure: string;
  /** The measured value (for `relative`, the ratio or difference to the sibling). */
  value: number | string;
  /** The threshold it crossed. */
  threshold: number | string;
  /** One sentence for the UI and report, with the numbers. */
  reason: string;
  /** For `relative`: the sibling it was compared with (subject id). */
  siblingId?: string;
}

export const QUALITY_THRESHOLDS = {
  /**
   * focusDetail below this is "very blurry": even the best-focused 64 px region has almost no
   * fine structure for the picture's contrast. Dimensionless; see docs/INSIGHTS.md.
   */
  blurryFocusDetail: 16,
  /**
   * … unless coarseDetail (the same measure on a 64 px reduction) is below this too: nothing in the
   * picture has structure even at thumbnail scale (a plain wall, an empty sky, mist), so there is no
   * focus to judge. The same floor as blurryFocusDetail, at a scale where any defocused scene with
   * content clears it many times over; see docs/INSIGHTS.md.
   */
  featurelessCoarseDetail: 16,
  /**
   * The brightest 0.1 % of the picture below this (0..255) is "too dark": nothing reaches an eighth
   * of full scale. 48 flagged dim, low-contrast originals (brightest 0.1 % at 40–45); see
   * docs/INSIGHTS.md.
   */
  darkBrightestLuma: 32,
  /** Clipped highlights at or above this share, … */
  overexposedClippedHighlights: 0.25,
  /** … with even the darkest 1 % at or above this (no blacks left), … */
  overexposedDarkestLuma: 48,
  /**
   * … and the median region left without detail (below this; the blown area dominates), is
   * "overexposed". A page of text on white is as clipped and as pale, but has text everywhere.
   */
  overexposedMedianDetail: 16,
  /** Relative: focusDetail (best region) at or below this share of a sibling's, … */
  relativeBlurRatio: 0.4,
  /**
   * … and medianDetail (the picture as a whole) at or below this share, is "very blurry". Looser than
   * the best region: a smooth picture's median tile keeps some noise and JPEG texture when blurred.
   */
  relativeBlurMedianRatio: 0.4,
  /**
   * Relative blur compares detail only between siblings exposed alike (mean luminance + 1 within
   * this factor): detail is normalised by the luminance range, which a blown-out version stretches.
   */
  relativeBlurExposureFactor: 1.25,
  /** Relative: brightest 1 % at or below this share of a sibling's (itself ≥ 96) is "too dark". */
  relativeDarkRatio: 1 / 3,
  /** Relative: clipped highlights grown by this much over a sibling's, … */
  relativeClipGrowth: 0.04,
  /**
   * … with the mean luminance (+1) or the darkest 1 % (+1) grown by this factor, is "overexposed".
   * The darks too: a blown picture's mean saturates at white, its shadows keep the multiplier.
   */
  relativeBrightening: 1.5,
  /** Siblings: pHash (64 bits) within this many bits. */
  siblingPhashBits: 8,
  /** Legacy metrics (stored before focusDetail existed): Laplacian variance below this is blurry. */
  legacyBlurryLaplacianVariance: 14,
  /** The score of a labelled picture never exceeds this, so "score ≤ 30" selects every flagged one. */
  flaggedScoreCeiling: 30,
} as const;

export type QualityThresholds = { -readonly [K in keyof typeof QUALITY_THRESHOLDS]: number };

export interface QualityAssessment {
  /** 0 (unusable) … 100 (sharp and well exposed). */
  score: number;
  labels: QualityLabel[];
  flags: QualityFlag[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** 0 at `low`, 1 at `high`, on a log scale (sharpness spans orders of magnitude). */
const logRamp = (x: number, low: number, high: number) =>
  clamp01((Math.log10(Math.max(x, 1e-6)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Sharpness 0..1: focus detail 4 or less is 0, 200 or more is 1 (legacy: Laplacian variance 5..500). */
export function sharpnessComponent(q: QualityMetrics): number {
  if (q.focusDetail !== undefined) return logRamp(q.focusDetail, 4, 200);
  return logRamp(q.laplacianVariance, 5, 500);
}

/** Exposure 0..1: penalises missing highlights (dark), missing shadows with clipping (blown), clipping. */
export function exposureComponent(q: QualityMetrics): number {
  const highlights = 1 - clamp01((q.clippedHighlights - 0.02) / 0.28);
  const shadows = 1 - clamp01((q.clippedShadows - 0.1) / 0.5);
  if (q.lumaP999 === undefined || q.lumaP1 === undefined) {
    const dark = clamp01((q.meanLuminance - 5) / 55);
    const bright = clamp01((250 - q.meanLuminance) / 60);
    return Math.min(dark, bright, highlights, shadows);
  }
  const dark = clamp01((q.lumaP999 - 24) / 96);
  const blown = 1 - clamp01((q.lumaP1 - 32) / 96) * clamp01((q.clippedHighlights - 0.05) / 0.25);
  return Math.min(dark, blown, highlights, shadows);
}

/**
 * The picture judged alone. Integrity first: a truncated or undecodable file (or one ingest reported
 * as corrupted) scores 0. The blur label needs a usable exposure: in a black or blown frame the
 * Laplacian says nothing about focus.
 */
export function assessQuality(
  q: QualityMetrics | null,
  problemCode: string | null,
  t: QualityThresholds = QUALITY_THRESHOLDS,
): QualityAssessment | null {
  if (problemCode === 'corrupted' || (q && q.integrity !== 'ok')) {
    const value = q && q.integrity !== 'ok' ? q.integrity : 'corrupted';
    return {
      score: 0,
      labels: ['corrupted'],
      flags: [
        {
          label: 'corrupted',
          basis: 'integrity',
          measure: 'integrity',
          value,
          threshold: 'ok',
          reason: `the file is ${value === 'truncated' ? 'truncated' : 'damaged'}: it does not decode completely`,
        },
      ],
    };
  }
  if (!q) return null;
  const flags: QualityFlag[] = [];
  if (q.lumaP999 !== undefined && q.lumaP1 !== undefined && q.focusDetail !== undefined) {
    if (q.lumaP999 < t.darkBrightestLuma)
      flags.push({
        label: 'too dark',
        basis: 'absolute',
        measure: 'lumaP999',
        value: q.lumaP999,
        threshold: t.darkBrightestLuma,
        reason: `even the brightest 0.1 % of the picture is only ${q.lumaP999}/255 (below ${t.darkBrightestLuma})`,
      });
    if (
      q.clippedHighlights >= t.overexposedClippedHighlights &&
      q.lumaP1 >= t.overexposedDarkestLuma &&
      (q.medianDetail ?? 0) < t.overexposedMedianDetail
    )
      flags.push({
        label: 'overexposed',
        basis: 'absolute',
        measure: 'clippedHighlights',
        value: round(q.clippedHighlights, 3),
        threshold: t.overexposedClippedHighlights,
        reason: `${Math.round(100 * q.clippedHighlights)} % of the picture is blown white, its darkest 1 % is ${q.lumaP1}/255 (no blacks left) and most of it has no detail left`,
      });
    const featureless = q.coarseDetail !== undefined && q.coarseDetail < t.featurelessCoarseDetail;
    if (flags.length === 0 && q.focusDetail < t.blurryFocusDetail && !featureless)
      flags.push({
        label: 'very blurry',
        basis: 'absolute',
        measure: 'focusDetail',
        value: round(q.focusDetail, 2),
        threshold: t.blurryFocusDetail,
        reason: `even the sharpest region has little fine detail for the picture's contrast (focus detail ${round(q.focusDetail, 1)}, below ${t.blurryFocusDetail})`,
      });
  } else {
    // Metrics stored before the scale-free measures: the former rules (docs/INSIGHTS.md).
    const dark = q.meanLuminance < 14;
    const over = q.clippedHighlights >= 0.25 || q.meanLuminance >= 235;
    if (!dark && !over && q.laplacianVariance < t.legacyBlurryLaplacianVariance)
      flags.push({
        label: 'very blurry',
        basis: 'absolute',
        measure: 'laplacianVariance',
        value: round(q.laplacianVariance, 1),
        threshold: t.legacyBlurryLaplacianVariance,
        reason: `Laplacian variance ${round(q.laplacianVariance, 1)} (below ${t.legacyBlurryLaplacianVariance})`,
      });
    if (dark)
      flags.push({
        label: 'too dark',
        basis: 'absolute',
        measure: 'meanLuminance',
        value: round(q.meanLuminance, 1),
        threshold: 14,
        reason: `mean luminance ${round(q.meanLuminance, 1)}/255 (below 14)`,
      });
    if (over)
      flags.push({
        label: 'overexposed',
        basis: 'absolute',
        measure: 'clippedHighlights',
        value: round(q.clippedHighlights, 3),
        threshold: 0.25,
        reason: `${Math.round(100 * q.clippedHighlights)} % clipped highlights, mean ${round(q.meanLuminance, 0)}/255`,
      });
  }
  return withScore(q, flags, t);
}

function withScore(q: QualityMetrics, flags: QualityFlag[], t: QualityThresholds): QualityAssessment {
  const labels = [...new Set(flags.map((f) => f.label))];
  let score = Math.round(100 * (0.6 * sharpnessComponent(q) + 0.4 * exposureComponent(q)));
  if (labels.length > 0) score = Math.min(score, t.flaggedScoreCeiling);
  return { score, labels, flags };
}

/** What relative judgement needs of a picture. */
export interface QualityPeer {
  id: string;
  /** 16 hex digits (64-bit pHash) or null. */
  phash: string | null;
  sha256: string | null;
  quality: QualityMetrics | null;
}

/**
 * Judges each picture against its near-identical siblings (pHash within `siblingPhashBits`, not a
 * byte-identical copy) and adds a relative flag to the one clearly worse than a sibling that is
 * itself unflagged: much blurrier, much darker, or blown out. Assessments are updated in place.
 * Siblings are found with the multi-index Hamming index, never all pairs.
 */
export function judgeAgainstSiblings(
  peers: readonly QualityPeer[],
  assessments: Map<string, QualityAssessment>,
  t: QualityThresholds = QUALITY_THRESHOLDS,
): void {
  const usable = peers.filter(
    (p): p is QualityPeer & { phash: string; quality: QualityMetrics } =>
      p.phash !== null &&
      p.quality !== null &&
      p.quality.medianDetail !== undefined &&
      p.quality.integrity === 'ok' &&
      /^[0-9a-f]{16}$/i.test(p.phash),
  );
  if (usable.length < 2) return;
  const index = new HammingIndex({ maxRadius: t.siblingPhashBits });
  usable.forEach((p, i) => {
    const s = signatureFromHex(p.phash);
    index.add(i, s.hi, s.lo);
  });
  const pairs: [number, number][] = [];
  index.allPairs(t.siblingPhashBits, (a, b) => {
    pairs.push([a, b]);
  });
  // Exposure first, then blur against siblings still unflagged: a blown-out version has a stretched
  // luminance range, so it must not serve as the sharp reference for its own original. A soft
  // sibling is still a fair reference for exposure: only its exposure labels disqualify it there.
  for (const kind of ['exposure', 'blur'] as const) {
    const added = new Map<string, QualityFlag[]>();
    const disqualified = (labels: readonly QualityLabel[]) =>
      kind === 'blur' ? labels.length > 0 : labels.some((l) => l !== 'very blurry');
    const consider = (x: (typeof usable)[number], y: (typeof usable)[number]) => {
      if (x.sha256 !== null && x.sha256 === y.sha256) return;
      if (disqualified(assessments.get(y.id)?.labels ?? [])) return;
      const flag =
        kind === 'exposure'
          ? relativeExposureFlag(x.quality, y.quality, y.id, t)
          : relativeBlurFlag(x.quality, y.quality, y.id, t);
      if (!flag) return;
      const list = added.get(x.id) ?? [];
      if (!list.some((f) => f.label === flag.label)) list.push(flag);
      added.set(x.id, list);
    };
    for (const [a, b] of pairs) {
      const pa = usable[a] as (typeof usable)[number];
      const pb = usable[b] as (typeof usable)[number];
      consider(pa, pb);
      consider(pb, pa);
    }
    for (const [id, flags] of added) {
      const prior = assessments.get(id);
      const q = usable.find((p) => p.id === id)?.quality;
      if (!prior || !q) continue;
      const fresh = flags.filter((f) => !prior.labels.includes(f.label));
      if (fresh.length === 0) continue;
      assessments.set(id, withScore(q, [...prior.flags, ...fresh], t));
    }
  }
}

function relativeExposureFlag(
  x: QualityMetrics,
  sibling: QualityMetrics,
  siblingId: string,
  t: QualityThresholds,
): QualityFlag | null {
  const xp99 = x.lumaP99 ?? 0;
  const sp99 = sibling.lumaP99 ?? 0;
  if (sp99 >= 96 && xp99 <= sp99 * t.relativeDarkRatio)
    return {
      label: 'too dark',
      basis: 'relative',
      measure: 'lumaP99 ratio',
      value: round(xp99 / sp99, 3),
      threshold: round(t.relativeDarkRatio, 3),
      reason: `much darker than a near-identical picture: its brightest 1 % reaches ${xp99}/255 against ${sp99}/255`,
      siblingId,
    };
  const growth = x.clippedHighlights - sibling.clippedHighlights;
  const brightening = Math.max(
    (x.meanLuminance + 1) / (sibling.meanLuminance + 1),
    ((x.lumaP1 ?? 0) + 1) / ((sibling.lumaP1 ?? 0) + 1),
  );
  if (growth >= t.relativeClipGrowth && brightening >= t.relativeBrightening)
    return {
      label: 'overexposed',
      basis: 'relative',
      measure: 'clippedHighlights growth',
      value: round(growth, 3),
      threshold: t.relativeClipGrowth,
      reason: `blown out against a near-identical picture: ${Math.round(100 * x.clippedHighlights)} % clipped highlights against ${Math.round(100 * sibling.clippedHighlights)} %, ${round(brightening, 1)}× as bright`,
      siblingId,
    };
  return null;
}

function relativeBlurFlag(
  x: QualityMetrics,
  sibling: QualityMetrics,
  siblingId: string,
  t: QualityThresholds,
): QualityFlag | null {
  const exposure = (x.meanLuminance + 1) / (sibling.meanLuminance + 1);
  if (exposure > t.relativeBlurExposureFactor || exposure < 1 / t.relativeBlurExposureFactor) return null;
  // The median tile too, not the best one alone: a watermark or caption sharpens one tile of a copy.
  const xf = x.medianDetail ?? 0;
  const sf = sibling.medianDetail ?? 0;
  if (
    (sibling.focusDetail ?? 0) >= t.blurryFocusDetail &&
    sf > 0 &&
    xf <= sf * t.relativeBlurMedianRatio &&
    (x.focusDetail ?? 0) <= (sibling.focusDetail ?? 0) * t.relativeBlurRatio
  )
    return {
      label: 'very blurry',
      basis: 'relative',
      measure: 'focusDetail ratio',
      value: round((x.focusDetail ?? 0) / (sibling.focusDetail ?? 1), 3),
      threshold: t.relativeBlurRatio,
      reason: `much blurrier than a near-identical picture: detail ${round(x.focusDetail ?? 0, 1)} against ${round(sibling.focusDetail ?? 0, 1)} in its sharpest region, ${round(xf, 2)} against ${round(sf, 2)} over the picture`,
      siblingId,
    };
  return null;
}
