/**
 * npm run bench:immich -- [--corpus /tmp/corpus/c1] [--n 100000] [--skip-corpus] [--skip-listing]
 *
 * 1. Agreement: the shared corpus is loaded into the fake Immich server (renditions made with
 *    sharp; HEIC/RAW through photo-sync's own decoders, as Immich's would), then one app analyses
 *    it twice — as a folder library and as an Immich library read through @immich/sdk. Prints, for
 *    duplicate, version and burst groups, the pairs each side grouped and how far they agree
 *    (Jaccard of the "same group" pairs; 1.00 = identical groupings), over the images both read.
 * 2. Listing: n synthetic assets in the fake; the connector's listing (SDK pages of 1000 with EXIF,
 *    recorded as pending rows in PGlite) in assets/s next to a baseline measured in the same run —
 *    raw `fetch` + JSON.parse of the same pages — and the memory it took (heap and RSS peaks).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ImmichRepository } from '../src/db/repositories/immich.repository.js';
import { detectKind } from '../src/domain/detect-kind.js';
import { mediaClassOf } from '../src/domain/file-kind.js';
import { ImmichClient } from '../src/immich/immich-client.js';
import { createLogger } from '../src/logger.js';
import { renderPreview } from '../src/media/render-preview.js';
import { FakeImmich } from '../test/support/fake-immich.js';
import { mb } from './support.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '/tmp/corpus/c1' },
    n: { type: 'string', default: '100000' },
    'skip-corpus': { type: 'boolean', default: false },
    'skip-listing': { type: 'boolean', default: false },
  },
});

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

type Pair = string;
const pairKey = (a: string, b: string): Pair => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
function pairsOf(groups: Iterable<string[]>, keep: ReadonlySet<string>): Set<Pair> {
  const out = new Set<Pair>();
  for (const g of groups) {
    const members = g.filter((k) => keep.has(k));
    for (let i = 0; i < members.length; i++)
      for (let j = i + 1; j < members.length; j++)
        out.add(pairKey(members[i] as string, members[j] as string));
  }
  return out;
}

async function agreement(corpus: string): Promise<void> {
  console.log(`\n1. agreement — ${corpus}`);
  const immich = new FakeImmich();
  await immich.start();
  const loadStart = performance.now();
  let loaded = 0;
  let skipped = 0;
  for await (const abs of walk(corpus)) {
    const rel = path.relative(corpus, abs);
    const bytes = await fs.readFile(abs);
    const kind = detectKind(bytes.subarray(0, 65536), path.basename(abs)).kind;
    const cls = mediaClassOf(kind);
    if (cls !== 'image' && cls !== 'raw') {
      skipped++;
      continue;
    }
    try {
      const source =
        kind === 'jpeg' || kind === 'png' || kind === 'webp'
          ? undefined
          : await sharp(
              await renderPreview(abs, {
                longEdge: 2048,
                orientation: null,
                durationSeconds: null,
                ffmpegPath: null,
              }),
            )
              .jpeg()
              .toBuffer();
      await immich.addPhoto(bytes, `/photos/${rel}`, source);
      loaded++;
    } catch {
      // Immich would keep it without a preview; photo-sync cannot analyse it there either.
      skipped++;
    }
  }
  console.log(
    `   fake Immich seeded: ${loaded} images (${skipped} videos/sidecars/undecodable left out) in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
  );

  // Two apps, each with its own database: in one, the duplicate analysis would group the folder
  // copy of a photo with its Immich twin and blur the comparison.
  const folder = await analyse(corpus, null);
  const viaImmich = await analyse(corpus, immich);
  await immich.stop();
  const common = new Set([...folder.keys].filter((k) => viaImmich.keys.has(k)));
  console.log(
    `   ready: folder ${folder.keys.size}, immich ${viaImmich.keys.size}, compared (in both) ${common.size}`,
  );
  console.log(
    `   read time: folder scan job ${folder.scanSeconds.toFixed(1)} s (originals) · immich sync job ${viaImmich.scanSeconds.toFixed(1)} s (previews over HTTP)`,
  );
  console.log(
    `   ${'relation'.padEnd(26)} ${'folder'.padStart(7)} ${'immich'.padStart(7)} ${'both'.padStart(6)}  agreement (Jaccard of same-group pairs)`,
  );
  for (const name of Object.keys(folder.relations)) {
    const f = pairsOf(folder.relations[name] ?? [], common);
    const i = pairsOf(viaImmich.relations[name] ?? [], common);
    const both = [...f].filter((p) => i.has(p)).length;
    const union = f.size + i.size - both;
    console.log(
      `   ${name.padEnd(26)} ${String(f.size).padStart(7)} ${String(i.size).padStart(7)} ${String(both).padStart(6)}  ${(union === 0 ? 1 : both / union).toFixed(2)}`,
    );
  }
}

interface Analysis {
  /** Paths relative to the corpus of the ready assets. */
  keys: Set<string>;
  relations: Record<string, string[][]>;
  scanSeconds: number;
}

/** One app on a fresh data dir: the corpus as a folder library, or the fake Immich connected. */
async function analyse(corpus: string, immich: FakeImmich | null): Promise<Analysis> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-bench-immich-'));
  const config = loadConfig(
    { PATH: process.env.PATH },
    { DATA_DIR: dataDir, PORT: 0, LIBRARY: immich ? [] : [corpus], WATCH: false, LOG_LEVEL: 'error' },
  );
  const app = await createApp(config, createLogger(config.logLevel));
  await app.start();
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  const base = `http://127.0.0.1:${address.port}`;
  const setup = await fetch(`${base}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'bench@example.com',
      name: 'Bench',
      password: 'correct horse battery staple',
    }),
  });
  const { accessToken } = (await setup.json()) as { accessToken: string };
  if (immich) {
    const connect = await fetch(`${base}/api/libraries/immich`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ url: immich.url, apiKey: immich.apiKey, name: 'Immich' }),
    });
    if (connect.status !== 201) throw new Error(`connect failed: ${connect.status} ${await connect.text()}`);
  }
  await app.queue.whenIdle();
  const db = app.database.db;
  const assets = await db.selectFrom('assets').select(['id', 'path']).where('status', '=', 'ready').execute();
  const keyOf = new Map(
    assets.map((a) => [a.id, immich ? a.path.replace(/^\/photos\//, '') : path.relative(corpus, a.path)]),
  );
  const groupsOf = (rows: { g: string; a: string }[]): string[][] => {
    const by = new Map<string, string[]>();
    for (const r of rows) {
      const k = keyOf.get(r.a);
      if (k !== undefined) by.set(r.g, [...(by.get(r.g) ?? []), k]);
    }
    return [...by.values()];
  };
  const dupRows = (kinds: ('exact' | 'near' | 'similar')[]) =>
    db
      .selectFrom('duplicate_group_members as m')
      .innerJoin('duplicate_groups as g', 'g.id', 'm.group_id')
      .select(['m.group_id as g', 'm.asset_id as a'])
      .where('g.kind', 'in', kinds)
      .execute();
  const relations = {
    'duplicates (exact + near)': groupsOf(await dupRows(['exact', 'near'])),
    similar: groupsOf(await dupRows(['similar'])),
    versions: groupsOf(
      await db.selectFrom('version_stack_members').select(['stack_id as g', 'asset_id as a']).execute(),
    ),
    bursts: groupsOf(
      await db.selectFrom('burst_frames').select(['burst_id as g', 'asset_id as a']).execute(),
    ),
  };
  const job = await db
    .selectFrom('jobs')
    .select(['started_at', 'finished_at'])
    .where('type', '=', 'library.scan')
    .orderBy('created_at')
    .executeTakeFirst();
  const scanSeconds =
    job?.started_at && job.finished_at ? (job.finished_at.getTime() - job.started_at.getTime()) / 1000 : NaN;
  await app.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
  return { keys: new Set(keyOf.values()), relations, scanSeconds };
}

async function listing(n: number): Promise<void> {
  console.log(`\n2. listing — ${n} synthetic assets in the fake Immich`);
  const immich = new FakeImmich();
  const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  immich.addSynthetic(n, tiny);
  await immich.start();
  const pageBody = (page: number) => JSON.stringify({ page, size: 1000, withExif: true, withStacked: true });

  // Baseline: the bytes over HTTP and JSON.parse, nothing else.
  let started = performance.now();
  let count = 0;
  for (let page: number | null = 1; page !== null;) {
    const res = await fetch(`${immich.url}/api/search/metadata`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': immich.apiKey },
      body: pageBody(page),
    });
    const json = (await res.json()) as { assets: { items: unknown[]; nextPage: string | null } };
    count += json.assets.items.length;
    page = json.assets.nextPage ? Number(json.assets.nextPage) : null;
  }
  const rawSeconds = (performance.now() - started) / 1000;
  console.log(
    `   baseline (fetch + JSON.parse)       ${(count / rawSeconds).toFixed(0).padStart(8)} assets/s  (${rawSeconds.toFixed(2)} s)`,
  );

  // The connector's listing: SDK pages, rows recorded as pending in the embedded database.
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-bench-immich-list-'));
  const database = await openDatabase({ databaseUrl: null, dataDir, preparedStatements: true });
  await migrateToLatest(database.db);
  const repo = new ImmichRepository(database.db);
  const lib = await repo.createLibrary({
    name: 'bench',
    url: immich.url,
    keySealed: 'x',
    version: '3.2.2',
    ownerId: null,
  });
  const client = new ImmichClient(immich.url, immich.apiKey);
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 50);
  started = performance.now();
  count = 0;
  let sdkOnly = 0;
  for (let page: number | null = 1; page !== null;) {
    const t0 = performance.now();
    const res = await client.searchPage({ page, size: 1000, withExif: true, withStacked: true });
    sdkOnly += performance.now() - t0;
    await repo.upsertPending(
      lib.id,
      res.items.map((a) => ({
        externalId: a.id,
        path: a.originalPath,
        sizeBytes: a.exifInfo?.fileSizeInByte ?? 0,
        mtimeMs: Date.parse(a.updatedAt),
        inode: a.checksum,
      })),
    );
    count += res.items.length;
    page = res.nextPage ? Number(res.nextPage) : null;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  console.log(
    `   connector: SDK pages only            ${(count / (sdkOnly / 1000)).toFixed(0).padStart(8)} assets/s  (${(sdkOnly / 1000).toFixed(2)} s, ${(sdkOnly / 1000 / rawSeconds).toFixed(2)}× baseline time)`,
  );
  console.log(
    `   connector: SDK pages + pending rows  ${(count / seconds).toFixed(0).padStart(8)} assets/s  (${seconds.toFixed(2)} s, ${(seconds / rawSeconds).toFixed(2)}× baseline time)`,
  );
  console.log(
    `   memory during the listing: heap peak +${mb(peakHeap - before.heapUsed)} MB, RSS peak +${mb(peakRss - before.rss)} MB (fake server's ${n} assets were allocated before)`,
  );
  await database.close();
  await immich.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}

console.log('bench:immich');
if (!values['skip-corpus']) {
  const exists = await fs.stat(values.corpus).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (exists) await agreement(values.corpus);
  else console.log(`\n1. agreement — skipped: no corpus at ${values.corpus} (pass --corpus <dir>)`);
}
if (!values['skip-listing']) await listing(Number(values.n));
