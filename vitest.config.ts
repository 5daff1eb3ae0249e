import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` needs nothing but Node; `db` talks to a real database — PGlite by default,
 * PostgreSQL when DATABASE_URL is set (CI runs it both ways; see .ci/run).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/{domain,media,unit}/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'db', include: ['test/{db,integration,api}/**/*.test.ts'] },
      },
      {
        // Split deployment with real processes: needs DATABASE_URL and REDIS_URL (skips otherwise).
        extends: true,
        test: { name: 'scale', include: ['test/scale/**/*.test.ts'], testTimeout: 240_000 },
      },
    ],
  },
});
