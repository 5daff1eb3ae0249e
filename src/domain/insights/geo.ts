import type { Position } from './capture-sanity.js';

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km. */
export function haversineKm(a: Position, b: Position): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const KM_PER_DEGREE_LAT = 111.32;

/**
 * Positions bucketed in cells about `cellKm` wide, so "everything within r ≤ cellKm" looks at the
 * 3×3 cells around a point instead of every point (DBSCAN and city look-ups on 100,000 photos).
 */
export class GeoGrid<T extends Position> {
  private readonly cells = new Map<string, T[]>();
  private readonly latStep: number;

  constructor(
    items: readonly T[],
    private readonly cellKm: number,
  ) {
    this.latStep = cellKm / KM_PER_DEGREE_LAT;
    for (const it of items) {
      const key = this.key(it);
      const list = this.cells.get(key);
      if (list) list.push(it);
      else this.cells.set(key, [it]);
    }
  }

  /** Longitude step of a latitude row: cells stay ≥ cellKm wide up to the poles. */
  private lonStep(row: number): number {
    const poleward = Math.min(
      89.9,
      Math.max(Math.abs(row * this.latStep), Math.abs((row + 1) * this.latStep)),
    );
    return this.latStep / Math.cos(rad(poleward));
  }

  private key(p: Position): string {
    const row = Math.floor(p.latitude / this.latStep);
    return `${row}:${Math.floor(p.longitude / this.lonStep(row))}`;
  }

  /** Every item within `radiusKm` (≤ cellKm) of `p`. */
  within(p: Position, radiusKm: number): T[] {
    const out: T[] = [];
    const row = Math.floor(p.latitude / this.latStep);
    for (let r = row - 1; r <= row + 1; r++) {
      const step = this.lonStep(r);
      const col = Math.floor(p.longitude / step);
      for (let c = col - 1; c <= col + 1; c++)
        for (const it of this.cells.get(`${r}:${c}`) ?? []) if (haversineKm(p, it) <= radiusKm) out.push(it);
    }
    return out;
  }
}
