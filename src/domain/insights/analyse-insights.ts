import { detectBursts, type Burst, type BurstSettings } from './burst-detection.js';
import type { Position } from './capture-sanity.js';
import { formatDateRange, segmentEvents, type EventSettings } from './event-segmentation.js';
import type { InsightSubject } from './insight-subject.js';
import { clusterPlaces, type CityLookup, type PlaceSettings } from './place-clustering.js';
import { assessQuality, judgeAgainstSiblings, type QualityAssessment } from './quality-scoring.js';
import { stackVersions, type VersionSettings, type VersionStack } from './version-stacking.js';

export interface InsightSettings {
  versions: VersionSettings;
  bursts: BurstSettings;
  events: EventSettings;
  places: PlaceSettings;
}

export interface Suggestion {
  /** Stable identity across re-analysis (date range or place), so accepting twice makes one album. */
  key: string;
  kind: 'event' | 'place';
  name: string;
  assetIds: string[];
  startMs: number | null;
  endMs: number | null;
  centre: Position | null;
}

export interface Insights {
  versions: VersionStack[];
  bursts: Burst[];
  quality: Map<string, QualityAssessment>;
  suggestions: Suggestion[];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Every insight of one set of files (a library, or the folders of a headless scan). Versions come
 * first: only a stack's primary takes part in bursts and suggestions, so a RAW+JPEG pair is one
 * frame and one photo, never two. Photos already in an album (`organised`) are not suggested again.
 */
export function analyseInsights(
  subjects: readonly InsightSubject[],
  settings: InsightSettings,
  opts: {
    primaryOverrides: ReadonlySet<string>;
    cityOf: CityLookup;
    nowMs: number;
    organised?: ReadonlySet<string>;
  },
): Insights {
  const versions = stackVersions(subjects, settings.versions, opts.primaryOverrides, opts.nowMs);
  const secondary = new Set(versions.flatMap((v) => v.memberIds.filter((id) => id !== v.primaryId)));
  const primaries = subjects.filter((s) => !secondary.has(s.id));

  const quality = new Map<string, QualityAssessment>();
  for (const s of subjects) {
    const q = assessQuality(s.quality, s.problemCode);
    if (q) quality.set(s.id, q);
  }
  // Relative judgement: the frame clearly worse than a near-identical sibling (a copy, an export, a
  // burst neighbour) is flagged even when it would pass alone.
  judgeAgainstSiblings(subjects, quality);

  const bursts = detectBursts(primaries, settings.bursts, opts.nowMs);
  const organised = opts.organised ?? new Set<string>();
  const unorganised = primaries.filter((s) => !organised.has(s.id));
  const suggestions: Suggestion[] = [];
  for (const e of segmentEvents(unorganised, settings.events, opts.nowMs)) {
    const place = e.positions.length > 0 ? placeName(opts.cityOf(medianPosition(e.positions))) : null;
    const range = formatDateRange(e.startMs, e.endMs);
    suggestions.push({
      key: `event:${day(e.startMs)}:${day(e.endMs)}`,
      kind: 'event',
      name: place ? `${place}, ${range}` : range,
      assetIds: e.assetIds,
      startMs: e.startMs,
      endMs: e.endMs,
      centre: null,
    });
  }
  for (const p of clusterPlaces(unorganised, settings.places, opts.cityOf)) {
    const name = placeName(p.city) ?? `${p.centre.latitude.toFixed(3)}, ${p.centre.longitude.toFixed(3)}`;
    suggestions.push({
      key: p.city
        ? `place:${p.city.country}:${p.city.name}`
        : `place:${p.centre.latitude.toFixed(2)}:${p.centre.longitude.toFixed(2)}`,
      kind: 'place',
      name,
      assetIds: p.assetIds,
      startMs: null,
      endMs: null,
      centre: p.centre,
    });
  }
  return { versions, bursts, quality, suggestions: mergeSameKey(suggestions) };
}

const placeName = (c: { name: string; country: string } | null) => (c ? `${c.name}, ${c.country}` : null);

function medianPosition(list: readonly Position[]): Position {
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { latitude: mid(list.map((p) => p.latitude)), longitude: mid(list.map((p) => p.longitude)) };
}

/** Two clusters named after one city become one place suggestion. */
function mergeSameKey(list: readonly Suggestion[]): Suggestion[] {
  const byKey = new Map<string, Suggestion>();
  for (const s of list) {
    const prior = byKey.get(s.key);
    if (prior) prior.assetIds = [...new Set([...prior.assetIds, ...s.assetIds])];
    else byKey.set(s.key, { ...s, assetIds: [...s.assetIds] });
  }
  return [...byKey.values()];
}
