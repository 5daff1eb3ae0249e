import { defineConfig } from 'vitest/config';

/**
 * Projects: `unit` needs nothing but Node; `db` talks to a real database — PGlite by default,
 * PostgreSQL when DATABASE_URL is set (CI runs it both ways; see .ci/run); `web` tests the web
 * app's review logic and components in happy-dom; `e2e` drives Debian's Chromium against the real
 * server (it prints why it skips when /usr/bin/chromium is missing); `scale` runs the split
 * deployment with real processes (needs DATABASE_URL and REDIS_URL, skips otherwise).
 * The suites that start the `photo-sync` command run the compiled one (dist/, which `npm install`
 * builds); test/support/build-cli.ts rebuilds it first when src/ is newer.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/{domain,media,unit}/**/*.test.ts'],
          globalSetup: ['test/support/build-cli.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/{db,integration,api}/**/*.test.ts'],
          globalSetup: ['test/support/build-cli.ts', 'test/support/database-template.ts'],
        },
      },
      {
        // Split deployment with real processes: needs DATABASE_URL and REDIS_URL (skips otherwise).
        extends: true,
        test: {
          name: 'scale',
          include: ['test/scale/**/*.test.ts'],
          globalSetup: ['test/support/build-cli.ts'],
          testTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: { name: 'web', include: ['web/test/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/build-web.ts', 'test/support/database-template.ts'],
          testTimeout: 180_000,
        },
      },
    ],
  },
});
