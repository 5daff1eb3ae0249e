import type { Insights } from '../domain/insights/analyse-insights.js';
import type { QualityFlag } from '../domain/insights/quality-scoring.js';

/** The insight sections of the headless report (docs/REPORT.md, format version 2). */

export interface ReportVersionStack {
  primary: string;
  /** Why the files are one shot: `same-name`, `edit`, `live-photo`. */
  reasons: string[];
  members: { path: string; format: string | null; primary: boolean }[];
}

export interface ReportBurst {
  recommended: string;
  cameraBurstId: string | null;
  frames: { path: string; score: number; recommended: boolean }[];
}

export interface ReportQualityItem {
  path: string;
  score: number;
  labels: string[];
  /** Why: per label, the measure, its value, the threshold and a sentence (QualityFlag). */
  flags: QualityFlag[];
}

export interface ReportSuggestion {
  kind: 'event' | 'place';
  name: string;
  /** Camera wall clock of the first and last photo (events). */
  startsAt: string | null;
  endsAt: string | null;
  centre: { latitude: number; longitude: number } | null;
  paths: string[];
}

export interface InsightSections {
  versions: ReportVersionStack[];
  bursts: ReportBurst[];
  quality: ReportQualityItem[];
  suggestions: ReportSuggestion[];
}

export const emptyInsightSections = (): InsightSections => ({
  versions: [],
  bursts: [],
  quality: [],
  suggestions: [],
});

const byPath = <T extends { path: string }>(a: T, b: T) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const wall = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 23));

/** Report sections from insights computed with subject id = absolute path. */
export function insightSections(
  insights: Insights,
  formatOf: (path: string) => string | null,
): InsightSections {
  return {
    versions: insights.versions
      .map((v) => ({
        primary: v.primaryId,
        reasons: v.reasons,
        members: v.memberIds.map((p) => ({ path: p, format: formatOf(p), primary: p === v.primaryId })),
      }))
      .sort((a, b) => (a.primary < b.primary ? -1 : 1)),
    bursts: insights.bursts
      .map((b) => ({
        recommended: b.recommendedId,
        cameraBurstId: b.cameraBurstId,
        frames: b.frameIds.map((p) => ({
          path: p,
          score: b.scores[p] ?? 0,
          recommended: p === b.recommendedId,
        })),
      }))
      .sort((a, b) => ((a.frames[0]?.path ?? '') < (b.frames[0]?.path ?? '') ? -1 : 1)),
    quality: [...insights.quality.entries()]
      .filter(([, q]) => q.labels.length > 0)
      .map(([path, q]) => ({ path, score: q.score, labels: q.labels, flags: q.flags }))
      .sort(byPath),
    suggestions: insights.suggestions.map((s) => ({
      kind: s.kind,
      name: s.name,
      startsAt: wall(s.startMs),
      endsAt: wall(s.endMs),
      centre: s.centre,
      paths: [...s.assetIds].sort(),
    })),
  };
}
