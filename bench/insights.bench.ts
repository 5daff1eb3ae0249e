/**
 * npm run bench:insights -- [--n 100000] [--seed 1]
 *
 * The insight analysis (versions, quality, bursts, events, places) over n synthetic library
 * entries shaped like a camera roll: shots minutes to days apart, 20% RAW+JPEG pairs, a burst of 5
 * frames every 50 shots, GPS on 60% around a few cities. Prints the time of each stage and of the
 * whole analysis next to a baseline measured in the same run: sorting the same entries by capture
 * time (the floor of any timeline analysis). Timings are reported, never asserted.
 */
import { parseArgs } from 'node:util';
import { insightSettingsFrom } from '../src/config/insight-settings.js';
import { analyseInsights } from '../src/domain/insights/analyse-insights.js';
import { detectBursts } from '../src/domain/insights/burst-detection.js';
import { wallClockMs } from '../src/domain/insights/capture-sanity.js';
import { segmentEvents } from '../src/domain/insights/event-segmentation.js';
import type { InsightSubject } from '../src/domain/insights/insight-subject.js';
import { cityLookupOver, clusterPlaces, type City } from '../src/domain/insights/place-clustering.js';
import {
  stackVersions,
  DEFAULT_EDIT_PATTERNS,
  DEFAULT_PRIMARY_ORDER,
} from '../src/domain/insights/version-stacking.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } },
});
const n = Number(values.n);
let state = Number(values.seed) >>> 0 || 1;
const rnd = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};
const hex16 = () => Array.from({ length: 16 }, () => Math.floor(rnd() * 16).toString(16)).join('');

const cities: City[] = Array.from({ length: 2000 }, (_, i) => ({
  name: `City ${i}`,
  country: 'XX',
  latitude: rnd() * 120 - 60,
  longitude: rnd() * 340 - 170,
}));
const centres = cities.slice(0, 8);

const subjects: InsightSubject[] = [];
let t = Date.UTC(2015, 0, 1);
for (let shot = 0; subjects.length < n; shot++) {
  t += rnd() < 0.05 ? rnd() * 5 * 86_400_000 : rnd() * 600_000;
  const folder = `/lib/${new Date(t).toISOString().slice(0, 7)}`;
  const frames = shot % 50 === 0 ? 5 : 1;
  const centre = centres[shot % centres.length] as City;
  const gps = rnd() < 0.6;
  for (let f = 0; f < frames; f++) {
    const at = t + f * 300;
    const base = `IMG_${shot}_${f}`;
    const common = {
      sizeBytes: 3_000_000,
      captureLocal: new Date(at).toISOString().slice(0, 23),
      make: 'Canon',
      model: 'EOS R6',
      bodySerial: null,
      burstId: null,
      sequenceNumber: null,
      contentIdentifier: null,
      gpsLatitude: gps ? centre.latitude + (rnd() - 0.5) * 0.02 : null,
      gpsLongitude: gps ? centre.longitude + (rnd() - 0.5) * 0.02 : null,
      width: 6000,
      height: 4000,
      phash: hex16(),
      quality: {
        laplacianVariance: 20 + rnd() * 800,
        meanLuminance: 20 + rnd() * 200,
        clippedShadows: rnd() * 0.1,
        clippedHighlights: rnd() * 0.1,
        integrity: 'ok' as const,
      },
      problemCode: null,
    };
    subjects.push({
      ...common,
      id: `${folder}/${base}.JPG`,
      path: `${folder}/${base}.JPG`,
      kind: 'jpeg',
      sha256: hex16(),
    });
    if (shot % 5 === 0)
      subjects.push({
        ...common,
        id: `${folder}/${base}.CR3`,
        path: `${folder}/${base}.CR3`,
        kind: 'raw',
        sha256: hex16(),
      });
  }
}

const settings = insightSettingsFrom({
  captureWindowSeconds: 2,
  editPatterns: DEFAULT_EDIT_PATTERNS,
  primaryOrder: DEFAULT_PRIMARY_ORDER,
  burstWindowSeconds: 2,
  placeRadiusKm: 3,
});
const now = Date.now();
const time = <T>(label: string, fn: () => T): T => {
  const started = performance.now();
  const out = fn();
  console.log(`  ${label.padEnd(34)} ${(performance.now() - started).toFixed(0).padStart(6)} ms`);
  return out;
};

console.log(`bench:insights — ${subjects.length} entries (${n} requested)\n`);
time('baseline: sort by capture time', () =>
  [...subjects].sort(
    (a, b) => (wallClockMs(a.captureLocal, now) ?? 0) - (wallClockMs(b.captureLocal, now) ?? 0),
  ),
);
const cityOf = time('city grid over 2,000 cities', () => cityLookupOver(cities));
const stacks = time('version stacking', () => stackVersions(subjects, settings.versions, new Set(), now));
const bursts = time('burst detection', () => detectBursts(subjects, settings.bursts, now));
const events = time('event segmentation', () => segmentEvents(subjects, settings.events, now));
const places = time('place clustering + naming', () => clusterPlaces(subjects, settings.places, cityOf));
const all = time('whole analysis (analyseInsights)', () =>
  analyseInsights(subjects, settings, { primaryOverrides: new Set(), cityOf, nowMs: now }),
);
console.log(
  `\nfound: ${stacks.length} stacks, ${bursts.length} bursts, ${events.length} events, ${places.length} places; ` +
    `${all.suggestions.length} suggestions; peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
