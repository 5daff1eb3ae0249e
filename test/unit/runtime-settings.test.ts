import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { allowedText, runtimeSettingDefinitions } from '../../src/config/runtime-settings.js';

describe('runtime settings catalog', () => {
  it('defines every runtime setting the config carries, with the environment value as default', () => {
    const config = loadConfig({ DUPLICATE_THRESHOLD: '90', SCHEDULE_TRASH_PURGE: '0 5 * * *' });
    expect(runtimeSettingDefinitions.map((d) => d.key).sort()).toEqual(
      Object.keys(config.runtimeDefaults).sort(),
    );
    expect(config.runtimeDefaults).toMatchObject({
      DUPLICATE_THRESHOLD: 90,
      SCHEDULE_TRASH_PURGE: '0 5 * * *',
    });
    expect(config.duplicateThreshold).toBe(0.9);
    expect(config.schedules.trashPurge).toBe('0 5 * * *');
  });

  it('takes each number range from the environment variable validator', () => {
    const input = (key: string) => runtimeSettingDefinitions.find((d) => d.key === key)!.input;
    expect(input('TRASH_RETENTION_DAYS')).toEqual({
      kind: 'number',
      min: 1,
      max: 3650,
      integer: true,
      unit: 'days',
    });
    expect(input('PLACE_RADIUS_KM')).toEqual({
      kind: 'number',
      min: 0.05,
      max: 100,
      integer: false,
      unit: 'km',
    });
    expect(allowedText(input('DUPLICATE_THRESHOLD'))).toBe('a whole number from 50 to 100 %');
  });

  it('validates a value exactly as the environment variable is validated', () => {
    const schema = (key: string) => runtimeSettingDefinitions.find((d) => d.key === key)!.schema;
    expect(schema('NEAR_KEEPER_RULES').parse('resolution, sharpness')).toEqual(['resolution', 'sharpness']);
    expect(schema('NEAR_KEEPER_RULES').safeParse(['resolution', 'nope']).success).toBe(false);
    expect(schema('SCHEDULE_RECONCILE').safeParse('61 3 * * *').success).toBe(false);
    expect(schema('BURST_WINDOW_SECONDS').parse('2.5')).toBe(2.5);
  });
});
