import { describe, expect, it } from 'vitest';
import { bundledCityLookup } from '../../src/geo/bundled-cities.js';

describe('bundled GeoNames cities (offline place names)', () => {
  it('names positions after a nearby city from the bundled data, and open sea after nothing', async () => {
    const cityOf = await bundledCityLookup();
    const sydney = cityOf({ latitude: -33.8688, longitude: 151.2093 });
    expect(sydney).toMatchObject({ name: 'Sydney', country: 'AU' });
    const lausanne = cityOf({ latitude: 46.5197, longitude: 6.6323 });
    expect(lausanne?.country).toBe('CH');
    expect(cityOf({ latitude: -40, longitude: -30 })).toBeNull(); // South Atlantic
  });
});
