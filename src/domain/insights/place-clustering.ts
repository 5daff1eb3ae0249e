import { plausiblePosition, type Position } from './capture-sanity.js';
import { GeoGrid, haversineKm } from './geo.js';
import type { InsightSubject } from './insight-subject.js';

/**
 * Places (docs/INSIGHTS.md "Places"): DBSCAN over great-circle distance on the photos' GPS
 * positions; (0, 0) and out-of-range positions are ignored (capture-sanity.ts). A cluster is named
 * after the nearest city of the bundled GeoNames data set, within `maxNameDistanceKm`.
 */

export interface PlaceSettings {
  /** DBSCAN neighbourhood radius. */
  epsKm: number;
  /** Neighbours (the point included) that make a core point. */
  minPoints: number;
}

export const DEFAULT_PLACE_SETTINGS: PlaceSettings = { epsKm: 3, minPoints: 3 };

export interface City extends Position {
  name: string;
  country: string;
}

/** Nearest city look-up, backed by the bundled data set on the server (see src/geo/). */
export type CityLookup = (p: Position) => City | null;

export interface PlaceCluster {
  assetIds: string[];
  centre: Position;
  city: City | null;
}

interface Point extends Position {
  id: string;
  index: number;
}

export function clusterPlaces(
  subjects: readonly InsightSubject[],
  settings: PlaceSettings,
  nameOf: CityLookup,
): PlaceCluster[] {
  const points: Point[] = [];
  for (const s of subjects) {
    const pos = plausiblePosition(s.gpsLatitude, s.gpsLongitude);
    if (pos) points.push({ ...pos, id: s.id, index: points.length });
  }
  const grid = new GeoGrid(points, settings.epsKm);
  const label = new Int32Array(points.length).fill(-1); // -1 unvisited, -2 noise, ≥0 cluster
  let clusters = 0;
  for (const p of points) {
    if (label[p.index] !== -1) continue;
    const seeds = grid.within(p, settings.epsKm);
    if (seeds.length < settings.minPoints) {
      label[p.index] = -2;
      continue;
    }
    const c = clusters++;
    label[p.index] = c;
    const queue = [...seeds];
    while (queue.length > 0) {
      const q = queue.pop() as Point;
      const was = label[q.index] as number;
      if (was === -2) label[q.index] = c; // border point
      if (was !== -1) continue;
      label[q.index] = c;
      const around = grid.within(q, settings.epsKm);
      if (around.length >= settings.minPoints) queue.push(...around);
    }
  }
  const members: Point[][] = Array.from({ length: clusters }, () => []);
  for (const p of points) {
    const l = label[p.index] as number;
    if (l >= 0) (members[l] as Point[]).push(p);
  }
  return members.map((list) => {
    const centre = medoid(list);
    return { assetIds: list.map((p) => p.id), centre, city: nameOf(centre) };
  });
}

/** The member closest to the mean: a real photo position, unlike a mean across a coastline. */
function medoid(list: readonly Point[]): Position {
  const mean = {
    latitude: list.reduce((s, p) => s + p.latitude, 0) / list.length,
    longitude: list.reduce((s, p) => s + p.longitude, 0) / list.length,
  };
  let best = list[0] as Point;
  for (const p of list) if (haversineKm(p, mean) < haversineKm(best, mean)) best = p;
  return { latitude: best.latitude, longitude: best.longitude };
}

/** Nearest-city look-up over a city list, searching rings of grid cells up to `maxKm`. */
export function cityLookupOver(cities: readonly City[], maxKm = 50): CityLookup {
  const cellKm = 10;
  const grid = new GeoGrid(cities, cellKm);
  return (p) => {
    for (let radius = cellKm; radius <= maxKm; radius += cellKm) {
      const near = radius <= cellKm ? grid.within(p, radius) : withinWide(grid, p, radius, cellKm);
      if (near.length > 0)
        return near.reduce((best, c) => (haversineKm(p, c) < haversineKm(p, best) ? c : best));
    }
    return null;
  };
}

/** Items within a radius larger than the grid cell, by sampling cell-sized probes around `p`. */
function withinWide(grid: GeoGrid<City>, p: Position, radiusKm: number, cellKm: number): City[] {
  const steps = Math.ceil(radiusKm / cellKm);
  const dLat = cellKm / 111.32;
  const dLon = dLat / Math.max(0.01, Math.cos((p.latitude * Math.PI) / 180));
  const found = new Set<City>();
  for (let i = -steps; i <= steps; i++)
    for (let j = -steps; j <= steps; j++) {
      const probe = { latitude: p.latitude + i * dLat, longitude: p.longitude + j * dLon };
      for (const c of grid.within(probe, cellKm)) if (haversineKm(p, c) <= radiusKm) found.add(c);
    }
  return [...found];
}
