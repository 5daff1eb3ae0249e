import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createFreshPostgresDatabase } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty PGlite data directory (`<dir>/db`) to copy, or null on PostgreSQL. */
    pgliteTemplate: string | null;
    /** A migrated, empty PostgreSQL database to create test databases from, or null on PGlite. */
    postgresTemplate: string | null;
  }
}

/**
 * Vitest global setup: the suites open well over a hundred databases, and an empty one costs
 * PGlite's initdb (seconds, far more on a busy machine) plus every migration. Both run once here,
 * through the real migrations, and each test database starts as a copy of the result (see
 * test-database.ts). Migrations on an empty database stay covered by test/db/migrations.test.ts
 * and the CLI suites, which never use the copy.
 */
export default async function databaseTemplate(project: TestProject): Promise<() => Promise<void>> {
  const postgresUrl = process.env.DATABASE_URL;
  if (postgresUrl) {
    const fresh = await createFreshPostgresDatabase(postgresUrl);
    const handle = await openDatabase({ databaseUrl: fresh.url, dataDir: null });
    await migrateToLatest(handle.db);
    await handle.close();
    project.provide('pgliteTemplate', null);
    project.provide('postgresTemplate', new URL(fresh.url).pathname.slice(1));
    return fresh.drop;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-pglite-template-'));
  const handle = await openDatabase({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(handle.db);
  await handle.close();
  project.provide('pgliteTemplate', dir);
  project.provide('postgresTemplate', null);
  return () => fs.rm(dir, { recursive: true, force: true });
}
