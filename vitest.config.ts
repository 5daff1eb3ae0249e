import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Suites under test/{db,integration} that never reach the database under test: the CLI's own
 * runs (each child gets a fresh data directory and no DATABASE_URL), media analysis on the corpus,
 * disk-space handling. They behave the same with DATABASE_URL set, so they run once, in npm test,
 * and not again on PostgreSQL (`npm run test:postgres` runs the `db` project only).
 */
const standalone = [
  'test/db/database.test.ts',
  'test/integration/cli.test.ts',
  'test/integration/corpus-insights.test.ts',
  'test/integration/disk-space-monitor.test.ts',
  'test/integration/judgement-hard-negatives.test.ts',
  'test/integration/scan-insights-report.test.ts',
  'test/integration/split-cli.test.ts',
];

/**
 * Projects: `unit` needs nothing but Node; `db` talks to a real database — PGlite by default,
 * PostgreSQL when DATABASE_URL is set (CI runs it both ways; see .ci/run); `standalone` holds the
 * integration suites that never reach that database (above); `web` tests the web
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
          exclude: [...configDefaults.exclude, ...standalone],
          globalSetup: ['test/support/build-cli.ts', 'test/support/database-template.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'standalone', include: standalone, globalSetup: ['test/support/build-cli.ts'] },
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
