import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { startServerOn } from '../../support/web-server.js';
import { createFreshPostgresDatabase, postgresUrl } from '../../support/test-database.js';
import { httpRequest, loginAs, makeTempDir, setupAdmin, type TestUser } from '../../support/test-app.js';

const JWT_SECRET = 'two-servers-one-database-shared-secret-0123456789';

async function startServer(databaseUrl: string): Promise<{ app: App; baseUrl: string; dataDir: string }> {
  const dataDir = await makeTempDir('roots-proc');
  return { ...(await startServerOn(dataDir, { DATABASE_URL: databaseUrl, JWT_SECRET })), dataDir };
}

if (!postgresUrl)
  console.info(
    'library-roots-processes: skipped on PGlite (one process per embedded database); set DATABASE_URL',
  );

/**
 * The overlap check runs under a database advisory lock with the insert: two servers on one
 * PostgreSQL database, asked at the same moment for a folder and a folder inside it, register one
 * and refuse the other (409), round after round.
 */
describe.skipIf(!postgresUrl)('two servers cannot both register overlapping folders', () => {
  let db: { url: string; drop: () => Promise<void> };
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let root: string;
  let adminA: TestUser;
  let adminB: TestUser;

  beforeAll(async () => {
    db = await createFreshPostgresDatabase(postgresUrl as string);
    a = await startServer(db.url);
    b = await startServer(db.url);
    adminA = await setupAdmin(a.baseUrl);
    adminB = await loginAs(b.baseUrl, adminA.email);
    root = await makeTempDir('roots-proc-lib');
  });
  afterAll(async () => {
    await a.app.stop();
    await b.app.stop();
    await db.drop();
    for (const dir of [a.dataDir, b.dataDir, root]) await fs.rm(dir, { recursive: true, force: true });
  });

  it('one of each overlapping pair is registered, the other refused with 409', async () => {
    for (let round = 0; round < 12; round++) {
      const parent = path.join(root, `r${round}`);
      const child = path.join(parent, 'inside');
      await fs.mkdir(child, { recursive: true });
      const [x, y] = await Promise.all([
        httpRequest(a.baseUrl, 'POST', '/api/libraries', {
          token: adminA.accessToken,
          body: { roots: [parent] },
        }),
        httpRequest(b.baseUrl, 'POST', '/api/libraries', {
          token: adminB.accessToken,
          body: { roots: [child] },
        }),
      ]);
      expect([x.status, y.status].sort(), `round ${round}`).toEqual([201, 409]);
    }
    const libraries = await a.app.database.db.selectFrom('libraries').select('roots').execute();
    expect(libraries).toHaveLength(12);
  });
});
