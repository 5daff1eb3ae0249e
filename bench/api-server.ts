/**
 * The server side of `npm run bench:api`, run as a child process so the load generator does not
 * share its event loop: the real app (PGlite or PostgreSQL) seeded with SEED_ASSETS assets and
 * SEED_ASSETS/10 duplicate groups, plus a bare Fastify route (the ceiling) in the same process.
 * Prints one JSON line `{ "port", "barePort" }` when both listen.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';

async function seed(database: DatabaseHandle, root: string, assets: number): Promise<void> {
  const db = database.db;
  // Owner left empty: the first account (created by the benchmark through /api/auth/setup) adopts it.
  const lib = await db
    .insertInto('libraries')
    .values({ name: 'bench', roots: JSON.stringify([root]) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    insert into assets (library_id, path, size_bytes, mtime_ms, inode, status, kind, mime, sha256,
                        sort_at, captured_at, width, height, make, model, has_thumbnail, ingested_at)
    select ${lib.id}::uuid, ${root} || '/photos/' || lpad(g::text, 7, '0') || '.jpg', 2000000 + g,
           1700000000000 + g * 1000.0, '1:' || g, 'ready', 'jpeg', 'image/jpeg', md5(g::text),
           to_timestamp(1600000000 + g * 600), to_timestamp(1600000000 + g * 600), 4000, 3000,
           'Canon', 'EOS R6', true, now()
    from generate_series(1, ${assets}) g`.execute(db);
  // Every 5th asset starts a pair with the next one: assets/10 exact-duplicate groups.
  await sql`
    with numbered as (
      select id, size_bytes, sort_at, row_number() over (order by path) as n from assets
    ), pairs as (
      select k.id as keeper, m.id as member, m.size_bytes, greatest(k.sort_at, m.sort_at) as newest, k.n
      from numbered k join numbered m on m.n = k.n + 1
      where k.n % 10 = 1
    ), groups as (
      insert into duplicate_groups (kind, group_key, keeper_asset_id, member_count, bytes_reclaimable,
                                    min_similarity, confidence, newest_at)
      select 'exact', 'bench:' || n, keeper, 2, size_bytes, 1, 'green', newest from pairs
      returning id, keeper_asset_id
    )
    insert into duplicate_group_members (group_id, asset_id, rank, similarity, is_keeper, keeper_reason)
    select g.id, p.keeper, 0, 1, true, 'organised-folder' from groups g join pairs p on p.keeper = g.keeper_asset_id
    union all
    select g.id, p.member, 1, 1, false, null from groups g join pairs p on p.keeper = g.keeper_asset_id`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

/**
 * Statements sent to the database, counted at the client (both drivers' `query`): the bench prints
 * them per request. Instrumentation of this bench process only.
 */
let statements = 0;
function countCalls(proto: { query: (...args: never[]) => unknown }): void {
  const original = proto.query;
  proto.query = function (this: unknown, ...args: never[]) {
    statements++;
    return original.apply(this, args);
  };
}
countCalls(pg.Client.prototype);
countCalls(PGlite.prototype);

const env = process.env;
const dataDir = env.DATA_DIR ?? '';
const root = path.join(dataDir, 'library');
await fs.mkdir(root, { recursive: true });
const config = loadConfig({ ...env, WATCH: 'false', LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
const app = await createApp(config, createLogger(config.logLevel));
await seed(app.database, root, Number(env.SEED_ASSETS ?? 100_000));
// Listen without start(): no start-up scan (the seeded paths do not exist on disk), no workers.
await app.server.listen({ host: '127.0.0.1', port: 0 });
const bare = Fastify({ bodyLimit: 16 * 1024 * 1024 });
bare.get('/bare', () => ({ ok: true }));
// The same bytes as a real page, served from memory: the ceiling for a response of that size
// (the bench PUTs a timeline page here first).
let fixedBody: Buffer = Buffer.from('{}');
bare.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
  done(null, body);
});
bare.put('/fixed-body', (req) => {
  fixedBody = req.body as Buffer;
  return { bytes: fixedBody.length };
});
bare.get('/fixed-body', (_req, reply) => reply.type('application/json; charset=utf-8').send(fixedBody));
bare.get('/stats', () => ({ cache: app.pages.stats(), statements }));
await bare.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.server.address() as { port: number }).port;
const barePort = (bare.server.address() as { port: number }).port;
process.stdout.write(JSON.stringify({ port, barePort }) + '\n');
process.on('SIGTERM', () => {
  void Promise.all([app.stop(), bare.close()]).then(() => process.exit(0));
});
