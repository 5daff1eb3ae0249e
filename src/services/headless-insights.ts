import { pairKey } from '../domain/duplicate-clustering.js';
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
 * Insights of a headless scan, plus the version-relative pairs the duplicate grouping must never
 * put together (same rule as the server).
 */
export async function headlessInsights(
  subjects: readonly InsightSubject[],
  settings: InsightSettings,
  loadCities: () => Promise<CityLookup>,
): Promise<{ insights: Insights; relatives: Set<string> }> {
  const hasPositions = subjects.some((s) => plausiblePosition(s.gpsLatitude, s.gpsLongitude) !== null);
  const cityOf = hasPositions ? await loadCities() : () => null;
  const insights = analyseInsights(subjects, settings, { primaryOverrides: new Set(), cityOf, nowMs: Date.now() });
  const relatives = new Set<string>();
  for (const v of insights.versions)
    for (let i = 0; i < v.memberIds.length; i++)
      for (let j = i + 1; j < v.memberIds.length; j++)
        relatives.add(pairKey(v.memberIds[i] as string, v.memberIds[j] as string));
  return { insights, relatives };
}
