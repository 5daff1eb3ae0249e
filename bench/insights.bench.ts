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
import { loadConfig } from '../src/config/config.js';
import { analyseInsights } from '../src/domain/insights/analyse-insights.js';
import { detectBursts } from '../src/domain/insights/burst-detection.js';
import { wallClockMs } from '../src/domain/insights/capture-sanity.js';
import { segmentEvents } from '../src/domain/insights/event-segmentation.js';
import { cityLookupOver, clusterPlaces } from '../src/domain/insights/place-clustering.js';
import { syntheticLibrary } from './synthetic-library.js';
import { stackVersions } from '../src/domain/insights/version-stacking.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } },
});
const n = Number(values.n);
const { subjects, cities } = syntheticLibrary(n, Number(values.seed));

const settings = loadConfig({}).insights;
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
