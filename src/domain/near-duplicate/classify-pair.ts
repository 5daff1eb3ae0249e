/**
 * From a verification score to a tier, and the user-facing "% similar".
 *
 * Two tiers, never mixed: `duplicate` — the same picture (re-encoded, resized, cropped a little,
 * straightened, watermarked, turned, stripped): removing one loses nothing; `similar` — a different shot
 * of the same moment or scene (burst frames, a stereo pair): for stacking or best-shot picking, never for
 * bulk deletion. Thresholds were chosen on the real-photo corpus (docs/SIGNATURES.md): every true
 * variant/original pair scored ≥ 0.939, every different capture of a scene but one (see below) ≤ 0.896,
 * every unrelated candidate pair < 0.3.
 *
 * Pixels cannot tell two exposures apart when nothing moved between them (a burst frame shifted by 1%
 * looks exactly like a 1% crop). Where both files carry their capture time, distinct times are decisive:
 * the pair is at most `similar`.
 */

export type PairTier = 'duplicate' | 'similar' | 'different';

export interface TierThresholds {
  /** Verification score from which a pair is the same picture. */
  readonly duplicate: number;
  /** Verification score from which a pair is a different shot of the same scene. */
  readonly similar: number;
}

export const DEFAULT_THRESHOLDS: TierThresholds = { duplicate: 0.92, similar: 0.6 };

export interface PairEvidence {
  /** Both files carry a capture time and they differ (see captureTimesDiffer): two exposures. */
  readonly distinctCaptures?: boolean;
  /**
   * One file is a deliberate re-colouring of the other (black and white, sepia, a strong grade): a
   * version of the picture, offered as similar, never as a duplicate to remove.
   */
  readonly recoloured?: boolean;
}

export function classifyPair(
  score: number,
  thresholds: TierThresholds = DEFAULT_THRESHOLDS,
  evidence: PairEvidence = {},
): PairTier {
  if (score >= thresholds.duplicate && !evidence.distinctCaptures && !evidence.recoloured) return 'duplicate';
  return score >= thresholds.similar ? 'similar' : 'different';
}

/**
 * Score ↔ "% similar", piecewise linear through these anchors: the default duplicate threshold is
 * 95% (the product's default setting, "95% similar"), the default similar threshold 80%, identical 100%.
 */
const CALIBRATION: readonly (readonly [score: number, percent: number])[] = [
  [0, 0],
  [DEFAULT_THRESHOLDS.similar, 80],
  [DEFAULT_THRESHOLDS.duplicate, 95],
  [1, 100],
];

/** The "% similar" shown to users for a verification score (0..100, one decimal). */
export function similarityPercent(score: number): number {
  return Math.round(interpolate(Math.min(1, Math.max(0, score)), 0, 1) * 10) / 10;
}

/** The verification score for a "% similar" setting (e.g. 95 → the default duplicate threshold). */
export function scoreForPercent(percent: number): number {
  return interpolate(Math.min(100, Math.max(0, percent)), 1, 0);
}

/** Thresholds for a user's "duplicates from N% similar" setting; `similar` follows the default. */
export function thresholdsForPercent(duplicatePercent: number): TierThresholds {
  const duplicate = scoreForPercent(duplicatePercent);
  return { duplicate, similar: Math.min(DEFAULT_THRESHOLDS.similar, duplicate) };
}

function interpolate(value: number, from: 0 | 1, to: 0 | 1): number {
  for (let i = 1; i < CALIBRATION.length; i++) {
    const low = CALIBRATION[i - 1] as readonly [number, number];
    const high = CALIBRATION[i] as readonly [number, number];
    if (value <= high[from] || i === CALIBRATION.length - 1) {
      const span = high[from] - low[from];
      const t = span > 0 ? (value - low[from]) / span : 0;
      return low[to] + t * (high[to] - low[to]);
    }
  }
  return value;
}

/**
 * Whether two capture wall clocks (`YYYY-MM-DDTHH:mm:ss.SSS`, as AssetMetadata.captureLocal) are two
 * different exposures: any difference counts. An export that dropped the sub-seconds (…:05.000 against
 * …:05.430) is then "similar", not "duplicate" — the safe direction: the opposite rule let burst frames
 * (taken 0.3 s apart, the first at .000) chain into a duplicate group. Unknown times prove nothing.
 */
export function captureTimesDiffer(a: string | null | undefined, b: string | null | undefined): boolean {
  const timeA = parseWallClock(a);
  const timeB = parseWallClock(b);
  return timeA !== null && timeB !== null && timeA !== timeB;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

function parseWallClock(text: string | null | undefined): number | null {
  const match = text ? WALL_CLOCK.exec(text) : null;
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '0').padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}
