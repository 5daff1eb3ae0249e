import { describe, expect, it } from 'vitest';
import { plausiblePosition, wallClockMs } from '../../../src/domain/insights/capture-sanity.js';
import {
  DEFAULT_PLACE_SETTINGS,
  clusterPlaces,
  cityLookupOver,
  type City,
} from '../../../src/domain/insights/place-clustering.js';
import { NOW, subject } from './subjects.js';

const cities: City[] = [
  { name: 'Lisbon', country: 'PT', latitude: 38.7223, longitude: -9.1393 },
  { name: 'Porto', country: 'PT', latitude: 41.1579, longitude: -8.6291 },
];
const lookup = cityLookupOver(cities);

const around = (lat: number, lon: number, n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) =>
    subject(`/p/${prefix}${i}.jpg`, { gpsLatitude: lat + i * 0.001, gpsLongitude: lon - i * 0.001 }),
  );

describe('place clustering', () => {
  it('clusters nearby positions (DBSCAN, haversine) and names them after the nearest city', () => {
    const lisbon = around(38.72, -9.14, 5, 'l');
    const porto = around(41.15, -8.62, 4, 'p');
    const lonely = subject('/p/alone.jpg', { gpsLatitude: 45, gpsLongitude: 5 });
    const places = clusterPlaces([...lisbon, ...porto, lonely], DEFAULT_PLACE_SETTINGS, lookup);
    expect(places).toHaveLength(2);
    const byCity = new Map(places.map((p) => [p.city?.name, p.assetIds.length]));
    expect(byCity).toEqual(
      new Map([
        ['Lisbon', 5],
        ['Porto', 4],
      ]),
    );
  });

  it('ignores GPS (0, 0) and out-of-range positions, so they never form a place', () => {
    const nullIsland = Array.from({ length: 6 }, (_, i) =>
      subject(`/p/z${i}.jpg`, { gpsLatitude: 0, gpsLongitude: 0 }),
    );
    const broken = Array.from({ length: 6 }, (_, i) =>
      subject(`/p/x${i}.jpg`, { gpsLatitude: 123, gpsLongitude: 0 }),
    );
    expect(clusterPlaces([...nullIsland, ...broken], DEFAULT_PLACE_SETTINGS, lookup)).toEqual([]);
    expect(plausiblePosition(0, 0)).toBeNull();
    expect(plausiblePosition(0, 12.5)).toEqual({ latitude: 0, longitude: 12.5 });
  });

  it('names nothing when no city is within reach', () => {
    expect(lookup({ latitude: -60, longitude: -30 })).toBeNull();
    expect(lookup({ latitude: 38.75, longitude: -9.2 })?.name).toBe('Lisbon');
  });
});

describe('capture sanity', () => {
  it('reads the wall clock with sub-seconds and rejects reset and future clocks', () => {
    expect(wallClockMs('2024-06-03T10:00:00.250', NOW)).toBe(Date.UTC(2024, 5, 3, 10, 0, 0, 250));
    expect(wallClockMs('2024-06-03T10:00:00', NOW)).toBe(Date.UTC(2024, 5, 3, 10, 0, 0));
    expect(wallClockMs('1970-01-01T00:00:00.000', NOW)).toBeNull();
    expect(wallClockMs('2099-12-31T00:00:00.000', NOW)).toBeNull();
    expect(wallClockMs('garbage', NOW)).toBeNull();
  });
});
