import { describe, expect, it } from 'vitest';
import { analyseInsights } from '../../../src/domain/insights/analyse-insights.js';
import { loadConfig } from '../../../src/config/config.js';
import { NOW, at, goodQuality, subject } from './subjects.js';

const settings = loadConfig({}).insights;

describe('analyseInsights', () => {
  it('counts a RAW+JPEG pair as one burst frame and one photo of an event, named by date and place', () => {
    const files = [0, 0.3, 0.6].flatMap((sec, i) => [
      subject(`/p/IMG_${i}.JPG`, {
        captureLocal: at(sec),
        gpsLatitude: 38.72,
        gpsLongitude: -9.14,
        quality: goodQuality({ laplacianVariance: 200 + i }),
      }),
      subject(`/p/IMG_${i}.CR2`, {
        kind: 'raw',
        captureLocal: at(sec),
        gpsLatitude: 38.72,
        gpsLongitude: -9.14,
      }),
    ]);
    const result = analyseInsights(files, settings, {
      primaryOverrides: new Set(),
      cityOf: () => ({ name: 'Lisbon', country: 'PT', latitude: 38.72, longitude: -9.14 }),
      nowMs: NOW,
    });
    expect(result.versions).toHaveLength(3);
    expect(result.bursts).toHaveLength(1);
    expect(result.bursts[0]?.frameIds).toEqual(['/p/IMG_0.JPG', '/p/IMG_1.JPG', '/p/IMG_2.JPG']);
    const event = result.suggestions.find((s) => s.kind === 'event');
    expect(event?.name).toBe('Lisbon, PT, 3 Jun 2024');
    expect(event?.assetIds).toHaveLength(3);
    expect(result.quality.get('/p/IMG_0.JPG')?.labels).toEqual([]);
  });

  it('suggests nothing for photos already in an album', () => {
    const files = [0, 60, 120].map((sec, i) => subject(`/p/IMG_${i}.JPG`, { captureLocal: at(sec) }));
    const opts = { primaryOverrides: new Set<string>(), cityOf: () => null, nowMs: NOW };
    expect(analyseInsights(files, settings, opts).suggestions).toHaveLength(1);
    const organised = new Set(files.map((f) => f.id));
    expect(analyseInsights(files, settings, { ...opts, organised }).suggestions).toEqual([]);
  });
});
