import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { configProblems } from '../support/config-problems.js';

const problems = configProblems;

describe('configuration', () => {
  it('has working defaults for the embedded app', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: null,
      watch: true,
      thumbnailSize: 250,
    });
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.duplicateThreshold).toBe(0.95);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lets flags win over environment variables', () => {
    const c = loadConfig({ PORT: '4000', DATA_DIR: '/env' }, { PORT: 5000 });
    expect(c.port).toBe(5000);
    expect(c.dataDir).toBe('/env');
  });

  it('names every bad variable, what is allowed and what was given', () => {
    const list = problems({
      PORT: '99999',
      DATABASE_URL: 'mysql://x',
      WATCH: 'maybe',
      DUPLICATE_THRESHOLD: '20',
    });
    expect(list).toHaveLength(4);
    expect(list.find((p) => p.startsWith('PORT:'))).toMatch(/65535.*\(got "99999"\)/);
    expect(list.find((p) => p.startsWith('DATABASE_URL:'))).toContain('postgres:// or postgresql://');
    expect(list.find((p) => p.startsWith('WATCH:'))).toBeDefined();
    expect(list.find((p) => p.startsWith('DUPLICATE_THRESHOLD:'))).toMatch(/50/);
  });

  it('reads ordered keeper rules and rejects unknown or repeated ones', () => {
    expect(loadConfig({ EXACT_KEEPER_RULES: 'oldest-mtime, clean-name' }).keeperRules.exact).toEqual([
      'oldest-mtime',
      'clean-name',
    ]);
    expect(problems({ NEAR_KEEPER_RULES: 'resolution,biggest' })[0]).toMatch(
      /NEAR_KEEPER_RULES: each rule must be one of in-album, /,
    );
    expect(problems({ NEAR_KEEPER_RULES: 'resolution,resolution' })[0]).toContain('only once');
  });

  it('splits LIBRARY like PATH and keeps the similar threshold at or below the duplicate one', () => {
    const c = loadConfig({ LIBRARY: '/a:/b', DUPLICATE_THRESHOLD: '90', SIMILAR_THRESHOLD: '97' });
    expect(c.libraryRoots).toEqual(['/a', '/b']);
    expect(c.similarThreshold).toBe(0.9);
  });

  it('requires JWT_SECRET in production only, and reads the auth and trash settings', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: required when NODE_ENV=production/,
    );
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(prod.auth).toMatchObject({ jwtSecret: 'x'.repeat(40), cookieSecure: true });
    const dev = loadConfig({
      TRASH_RETENTION_DAYS: '7',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(dev.auth.jwtSecret).toBeNull();
    expect(dev.auth.cookieSecure).toBe(false);
    expect(dev.trashRetentionDays).toBe(7);
    expect(dev.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => loadConfig({ CORS_ORIGINS: 'not a url' })).toThrow(/CORS_ORIGINS/);
  });
});
