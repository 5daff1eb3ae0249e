import { analyseInsights, type InsightSettings, type Insights } from '../domain/insights/analyse-insights.js';
import { plausiblePosition } from '../domain/insights/capture-sanity.js';
import type { InsightSubject } from '../domain/insights/insight-subject.js';
import type { CityLookup } from '../domain/insights/place-clustering.js';
import type { MediaAnalysis } from '../media/media-analysis.js';

/** The insight analyses' view of a file analysed by the headless scan (id = absolute path). */
export function insightSubjectFromAnalysis(
  file: { path: string; sizeBytes: number },
  a: MediaAnalysis,
): InsightSubject {
  const m = a.metadata;
  return {
    id: file.path,
    path: file.path,
    kind: a.kind,
    sizeBytes: file.sizeBytes,
    sha256: a.sha256,
    captureLocal: m.captureLocal,
    make: m.make,
    model: m.model,
    bodySerial: m.bodySerial,
    burstId: m.burstId,
    sequenceNumber: m.sequenceNumber,
    contentIdentifier: m.contentIdentifier,
    gpsLatitude: m.gpsLatitude,
    gpsLongitude: m.gpsLongitude,
    width: m.width,
    height: m.height,
    phash: a.phash,
    quality: a.quality,
    problemCode: a.problem?.code ?? null,
  };
}

/**
 * Insights of a headless scan, plus the version-stack members other than the primary, which the
 * duplicate grouping leaves out (same rule as the server: relatives are never duplicates).
 */
export async function headlessInsights(
  subjects: readonly InsightSubject[],
  settings: InsightSettings,
  loadCities: () => Promise<CityLookup>,
): Promise<{ insights: Insights; secondary: Set<string> }> {
  const hasPositions = subjects.some((s) => plausiblePosition(s.gpsLatitude, s.gpsLongitude) !== null);
  const cityOf = hasPositions ? await loadCities() : () => null;
  const insights = analyseInsights(subjects, settings, {
    primaryOverrides: new Set(),
    cityOf,
    nowMs: Date.now(),
  });
  const secondary = new Set(insights.versions.flatMap((v) => v.memberIds.filter((id) => id !== v.primaryId)));
  return { insights, secondary };
}
