import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty PGlite data directory (`<dir>/db`) to copy, or null on PostgreSQL. */
    pgliteTemplate: string | null;
  }
}

/**
 * Vitest global setup: PGlite's initdb costs seconds per database (far more on a busy machine), and
 * the suites open over a hundred of them. It runs once here, through the real migrations, and each
 * test database starts as a copy of the result (see seedPgliteDataDir). Migrations on an empty
 * database stay covered by test/db/migrations.test.ts and the CLI suites, which never use the copy.
 */
export default async function pgliteTemplate(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', null);
    return () => Promise.resolve();
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-pglite-template-'));
  const handle = await openDatabase({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(handle.db);
  await handle.close();
  project.provide('pgliteTemplate', dir);
  return () => fs.rm(dir, { recursive: true, force: true });
}
