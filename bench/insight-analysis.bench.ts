/**
 * npm run bench:insight-analysis -- [--n 20000] [--seed 1]
 *
 * The `insights.analyse` job on a fresh embedded database (PGlite, in memory) holding n synthetic
 * assets (bench/synthetic-library.ts): the first analysis (writes every stack, burst, score and
 * suggestion), a second one on the unchanged library (should write almost nothing) and the triage
 * summary. Baseline measured in the same run: reading the library's rows the analysis reads.
 * Timings are reported, never asserted.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { InsightAssetRepository } from '../src/db/repositories/insight-asset.repository.js';
import { ImportBatchRepository } from '../src/db/repositories/import-batch.repository.js';
import { VersionRepository } from '../src/db/repositories/version.repository.js';
import { BurstRepository } from '../src/db/repositories/burst.repository.js';
import { SuggestionRepository } from '../src/db/repositories/suggestion.repository.js';
import { TriageRepository } from '../src/db/repositories/triage.repository.js';
import { LibraryRepository } from '../src/db/repositories/library.repository.js';
import { LibraryAccess } from '../src/services/library-access.js';
import { AppEvents } from '../src/events/app-events.js';
import { cityLookupOver } from '../src/domain/insights/place-clustering.js';
import type { JobContext } from '../src/jobs/job-registry.js';
import type { JobQueue } from '../src/jobs/job-queue.js';
import { InsightService } from '../src/services/insight.service.js';
import { syntheticLibrary } from './synthetic-library.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' } },
});
const { subjects, cities } = syntheticLibrary(Number(values.n), Number(values.seed));

const database = await openDatabase({ databaseUrl: null, dataDir: null });
await migrateToLatest(database.db);
const db = database.db;
const library = await db
  .insertInto('libraries')
  .values({ name: 'bench', roots: JSON.stringify(['/lib']) })
  .returning('id')
  .executeTakeFirstOrThrow();
for (let i = 0; i < subjects.length; i += 1000)
  await db
    .insertInto('assets')
    .values(
      subjects.slice(i, i + 1000).map((s) => ({
        library_id: library.id,
        path: s.path,
        size_bytes: s.sizeBytes,
        mtime_ms: 0,
        inode: s.id,
        status: 'ready' as const,
        kind: s.kind,
        sha256: s.sha256,
        sort_at: new Date(`${s.captureLocal ?? '2020-01-01T00:00:00.000'}Z`),
        capture_local: s.captureLocal,
        make: s.make,
        model: s.model,
        gps_latitude: s.gpsLatitude,
        gps_longitude: s.gpsLongitude,
        width: s.width,
        height: s.height,
        phash: s.phash,
        quality: s.quality ? JSON.stringify(s.quality) : null,
      })),
    )
    .execute();

const assets = new InsightAssetRepository(db);
const noQueue: JobQueue = {
  enqueue: () => Promise.resolve('bench'),
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  whenIdle: () => Promise.resolve(),
  retry: () => Promise.resolve(null),
};
const config = loadConfig({});
const service = new InsightService(
  {
    assets,
    batches: new ImportBatchRepository(db),
    versions: new VersionRepository(db),
    bursts: new BurstRepository(db),
    suggestions: new SuggestionRepository(db),
  },
  () => Promise.resolve(config.insights),
  noQueue,
  () => Promise.resolve(cityLookupOver(cities)),
  new LibraryAccess(new LibraryRepository(db), new AppEvents()),
);
const ctx: JobContext = {
  jobId: 'bench',
  log: createLogger('silent'),
  signal: new AbortController().signal,
  reportProgress: () => Promise.resolve(),
  spawnChildren: () => Promise.reject(new Error('the insight analysis spawns no child jobs')),
};
const time = async (label: string, fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms`);
  return ms;
};

console.log(`bench:insight-analysis — ${subjects.length} assets on PGlite (in memory)\n`);
const baseline = await time('baseline: read the analysed columns', () => assets.readyAssets(library.id));
const first = await time('first analysis (writes everything)', () => service.analyse(library.id, ctx));
const second = await time('second analysis (unchanged library)', () => service.analyse(library.id, ctx));
await time('triage summary (6 categories)', async () => {
  const triage = new TriageRepository(db);
  const scope = { libraryIds: [library.id] };
  await triage.duplicateFigures('exact', scope);
  await triage.duplicateFigures('near', scope);
  await triage.qualityFigures(scope);
  await triage.burstFigures(scope);
  await triage.versionFigures(scope);
  // A viewer without albums: every suggestion is open to them.
  await triage.suggestionFigures(scope, randomUUID());
});
const count = async (table: 'version_stacks' | 'bursts' | 'suggestions') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
console.log(
  `\nstored: ${await count('version_stacks')} stacks, ${await count('bursts')} bursts, ${await count('suggestions')} suggestions`,
);
console.log(
  `first analysis = ${(first / baseline).toFixed(1)}× the read; unchanged re-analysis = ${(second / baseline).toFixed(1)}× the read`,
);
await database.close();
