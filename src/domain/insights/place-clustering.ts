import { plausiblePosition, type Position } from './capture-sanity.js';
import { GeoGrid, haversineKm } from './geo.js';
import type { InsightSubject } from './insight-subject.js';

/**
 * Places (docs/INSIGHTS.md "Places"): DBSCAN over great-circle distance on the photos' GPS
 * positions; (0, 0) and out-of-range positions are ignored (capture-sanity.ts). Photos in one
 * spot (a tenth of the radius wide) count as one weighted point. A cluster
 * is named after the nearest city of the bundled GeoNames data set (within 50 km).
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

/** Photos at (nearly) one spot: clustered as one weighted point. */
interface Spot extends Position {
  ids: string[];
  index: number;
}

/**
 * Spots are a tenth of the radius (300 m by default): snapping moves a photo by at most 1/20 of the
 * radius, and a crowded place costs a few dozen points instead of thousands.
 */
const SPOTS_PER_RADIUS = 10;
const KM_PER_DEGREE = 111.32;

export function clusterPlaces(
  subjects: readonly InsightSubject[],
  settings: PlaceSettings,
  nameOf: CityLookup,
): PlaceCluster[] {
  const spotDegrees = settings.epsKm / SPOTS_PER_RADIUS / KM_PER_DEGREE;
  const byCell = new Map<string, Spot>();
  const spots: Spot[] = [];
  for (const s of subjects) {
    const pos = plausiblePosition(s.gpsLatitude, s.gpsLongitude);
    if (!pos) continue;
    const key = `${Math.round(pos.latitude / spotDegrees)}:${Math.round(pos.longitude / spotDegrees)}`;
    const spot = byCell.get(key);
    if (spot) spot.ids.push(s.id);
    else {
      const fresh = { ...pos, ids: [s.id], index: spots.length };
      byCell.set(key, fresh);
      spots.push(fresh);
    }
  }
  const grid = new GeoGrid(spots, settings.epsKm);
  const weight = (list: readonly Spot[]) => list.reduce((n, x) => n + x.ids.length, 0);
  const UNVISITED = -1;
  const NOISE = -2;
  const label = new Int32Array(spots.length).fill(UNVISITED);
  let clusters = 0;
  for (const p of spots) {
    if (label[p.index] !== UNVISITED) continue;
    const seeds = grid.within(p, settings.epsKm);
    if (weight(seeds) < settings.minPoints) {
      label[p.index] = NOISE;
      continue;
    }
    const c = clusters++;
    // Each spot is labelled when first reached and queued at most once, so expansion is linear in
    // the number of spots (plus their neighbourhood look-ups).
    const queue: Spot[] = [];
    const reach = (list: readonly Spot[]) => {
      for (const q of list) {
        const was = label[q.index] as number;
        if (was === NOISE) label[q.index] = c; // border spot: joins, does not expand
        if (was !== UNVISITED) continue;
        label[q.index] = c;
        queue.push(q);
      }
    };
    label[p.index] = c;
    reach(seeds);
    while (queue.length > 0) {
      const q = queue.pop() as Spot;
      const around = grid.within(q, settings.epsKm);
      if (weight(around) >= settings.minPoints) reach(around);
    }
  }
  const members: Spot[][] = Array.from({ length: clusters }, () => []);
  for (const p of spots) {
    const l = label[p.index] as number;
    if (l >= 0) (members[l] as Spot[]).push(p);
  }
  return members.map((list) => {
    const centre = medoid(list);
    return { assetIds: list.flatMap((p) => p.ids), centre, city: nameOf(centre) };
  });
}

/** The spot closest to the photos' mean: a real photo position, unlike a mean across a coastline. */
function medoid(list: readonly Spot[]): Position {
  const total = list.reduce((n, p) => n + p.ids.length, 0);
  const mean = {
    latitude: list.reduce((s, p) => s + p.latitude * p.ids.length, 0) / total,
    longitude: list.reduce((s, p) => s + p.longitude * p.ids.length, 0) / total,
  };
  let best = list[0] as Spot;
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
