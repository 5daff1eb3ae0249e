import { wallClockMs } from './capture-sanity.js';
import { splitFileName } from './file-name.js';
import type { InsightSubject } from './insight-subject.js';
import { assessQuality, exposureComponent } from './quality-scoring.js';

/**
 * Bursts (docs/INSIGHTS.md "Bursts"): frames of one camera body, in one folder, each within
 * `maxGapMs` of the previous one, compared on the camera's wall clock with sub-seconds. Frames the
 * camera tagged with one burst id form a burst whatever the spacing. Files sharing the exact same
 * capture time are copies or versions of one exposure, never two frames. Frames without a plausible
 * time or without a known body are never put in a burst.
 */

export interface BurstSettings {
  maxGapMs: number;
  /** Fewest distinct frames that make a burst. */
  minFrames: number;
}

export const DEFAULT_BURST_SETTINGS: BurstSettings = { maxGapMs: 2000, minFrames: 2 };

export interface Burst {
  /** Frame ids in capture order. */
  frameIds: string[];
  recommendedId: string;
  /** Per frame: the recommendation score 0..1 (sharpness relative to the burst, exposure). */
  scores: Record<string, number>;
  /** The camera's burst id when the frames carry one. */
  cameraBurstId: string | null;
}

const bodyOf = (s: InsightSubject): string | null =>
  s.bodySerial
    ? `serial:${s.bodySerial}`
    : s.make || s.model
      ? `model:${s.make ?? ''}|${s.model ?? ''}`
      : null;

interface Frame {
  subject: InsightSubject;
  at: number;
}

export function detectBursts(
  subjects: readonly InsightSubject[],
  settings: BurstSettings,
  nowMs: number,
): Burst[] {
  const latest = nowMs + 86_400_000;
  const tagged = new Map<string, Frame[]>();
  const timelines = new Map<string, Frame[]>();
  for (const s of subjects) {
    if (s.kind === 'video' || s.kind === 'xmp' || s.kind === 'unknown') continue;
    const at = wallClockMs(s.captureLocal, latest);
    const body = bodyOf(s);
    if (at === null || body === null) continue;
    const folder = splitFileName(s.path).folder;
    const frame = { subject: s, at };
    const key = s.burstId ? `${body}\u0000${folder}\u0000${s.burstId}` : `${body}\u0000${folder}`;
    const target = s.burstId ? tagged : timelines;
    const list = target.get(key);
    if (list) list.push(frame);
    else target.set(key, [frame]);
  }

  const bursts: Burst[] = [];
  const emit = (frames: Frame[], cameraBurstId: string | null) => {
    const distinct = distinctExposures(frames);
    if (distinct.length >= settings.minFrames) bursts.push(recommend(distinct, cameraBurstId));
  };
  for (const frames of tagged.values()) emit(frames, frames[0]?.subject.burstId ?? null);
  for (const frames of timelines.values()) {
    frames.sort((a, b) => a.at - b.at || (a.subject.path < b.subject.path ? -1 : 1));
    let run: Frame[] = [];
    for (const f of frames) {
      const last = run.at(-1);
      if (last && f.at - last.at > settings.maxGapMs) {
        emit(run, null);
        run = [];
      }
      run.push(f);
    }
    emit(run, null);
  }
  return bursts;
}

/** One file per capture instant (the first by path): same-instant files are one exposure. */
function distinctExposures(frames: readonly Frame[]): Frame[] {
  const byTime = new Map<number, Frame>();
  for (const f of [...frames].sort((a, b) => (a.subject.path < b.subject.path ? -1 : 1)))
    if (!byTime.has(f.at)) byTime.set(f.at, f);
  return [...byTime.values()].sort(
    (a, b) =>
      (a.subject.sequenceNumber ?? 0) - (b.subject.sequenceNumber ?? 0) ||
      a.at - b.at ||
      (a.subject.path < b.subject.path ? -1 : 1),
  );
}

/**
 * Best frame: sharpness relative to the sharpest frame of the burst (70%) plus exposure (30%);
 * a corrupted frame scores 0. Ties keep the earlier frame.
 */
function recommend(frames: readonly Frame[], cameraBurstId: string | null): Burst {
  const maxSharp = Math.max(1e-6, ...frames.map((f) => f.subject.quality?.laplacianVariance ?? 0));
  const scores: Record<string, number> = {};
  let best = frames[0] as Frame;
  let bestScore = -1;
  for (const f of frames) {
    const q = f.subject.quality;
    const corrupted = assessQuality(q, f.subject.problemCode)?.labels.includes('corrupted') ?? false;
    const score =
      q && !corrupted ? 0.7 * Math.min(1, q.laplacianVariance / maxSharp) + 0.3 * exposureComponent(q) : 0;
    scores[f.subject.id] = Math.round(score * 1000) / 1000;
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return {
    frameIds: frames.map((f) => f.subject.id),
    recommendedId: best.subject.id,
    scores,
    cameraBurstId,
  };
}
