/**
 * bench:web — the web UI's size and speed.
 *
 * 1. The built bundle: initial JS (entry + its static imports) and CSS, gzipped; every lazy chunk.
 * 2. In Debian's Chromium against the real server with 100,000 assets seeded through the
 *    repositories (thumbnails: 24 generated WebP files hard-linked per asset): time to the first
 *    thumbnails on the timeline, the month-bucket query, a scrubber jump to a month never loaded
 *    (time to its thumbnails), frames and long tasks while scrolling fast, DOM node count.
 *    Baseline measured in the same run: the same thumbnails as a plain, non-virtualised grid
 *    (what the timeline would cost without virtualisation), scrolled the same way.
 * 3. The explore views on the same 100,000 assets (30 % geotagged around five cities, three
 *    cameras, 5 % videos, 2 % "too dark", 1 % unreadable): map clusters at three zooms and a
 *    cluster's photos, the Problems list, the filter facets, and the timeline filtered by camera,
 *    kind, label, folder and date range — each against the unfiltered grid page measured in the
 *    same run (ratio); and in Chromium the time to the map's clusters, the Problems rows and a
 *    filtered timeline's first thumbnails.
 *
 * Usage: npm run bench:web [-- --assets 100000 --seconds 6 --deep 10000]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { sql } from 'kysely';
import { build } from 'vite';
import { AssetRepository } from '../src/db/repositories/asset.repository.js';
import { LibraryRepository } from '../src/db/repositories/library.repository.js';
import { ThumbnailStore } from '../src/fs/thumbnail-store.js';
import { chromiumMissingReason, launchChromium } from '../test/support/browser.js';
import { startFreshServer, type FreshServer } from '../test/support/web-server.js';
import type { Page } from 'playwright-core';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ASSETS = arg('assets', 100_000);
const SCROLL_SECONDS = arg('seconds', 6);
const DEEP = arg('deep', 10_000);
const webDir = path.resolve(import.meta.dirname, '../dist/web');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function bundleSize() {
  await build({ configFile: path.resolve(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'warn' });
  const html = await fs.readFile(path.join(webDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const gz = async (rel: string) => gzipSync(await fs.readFile(path.join(webDir, rel))).length;
  let initialJs = 0;
  let initialCss = 0;
  for (const rel of initial) {
    if (rel.endsWith('.js')) initialJs += await gz(rel);
    else initialCss += await gz(rel);
  }
  let allJs = 0;
  const files = await fs.readdir(path.join(webDir, 'assets'));
  for (const f of files.filter((x) => x.endsWith('.js'))) allJs += await gz(`/assets/${f}`);
  return { initialJs, initialCss, allJs, chunks: files.filter((x) => x.endsWith('.js')).length };
}

/** 100,000 ready assets, ~55 a day over five years, newest first like a real library. */
async function seed(server: FreshServer, count: number, ownerId: string | null): Promise<void> {
  const db = server.app.database.db;
  const libraries = new LibraryRepository(db);
  const assets = new AssetRepository(db);
  const lib = await libraries.create({
    name: 'Bench',
    roots: [path.join(server.dataDir, 'bench-library')],
    ownerId,
  });
  const now = Date.UTC(2025, 5, 1);
  for (let i = 0; i < count; i += 2000) {
    const files = Array.from({ length: Math.min(2000, count - i) }, (_, k) => {
      const n = i + k;
      return {
        path: `/bench/${Math.floor(n / 1000)}/IMG_${String(n).padStart(6, '0')}.JPG`,
        sizeBytes: 2_000_000 + (n % 997) * 1000,
        mtimeMs: now - n * 26 * 60 * 1000,
        inode: String(n + 1),
      };
    });
    await assets.upsertPending(lib.id, files);
  }
  // Ingest is what the benchmark skips: mark every row ready with a thumbnail in one statement.
  await db
    .updateTable('assets')
    .set({
      status: 'ready',
      kind: 'jpeg',
      mime: 'image/jpeg',
      width: 4000,
      height: 3000,
      has_thumbnail: true,
      captured_at: sql`sort_at`,
      ingested_at: sql`now()`,
    })
    .where('library_id', '=', lib.id)
    .execute();
  await seedExplore(server, lib.id);
  const ids = await db.selectFrom('assets').select('id').where('library_id', '=', lib.id).execute();
  const store = new ThumbnailStore(server.dataDir);
  const distinct: string[] = [];
  for (let s = 0; s < 24; s++) {
    const file = path.join(server.dataDir, `bench-thumb-${s}.webp`);
    const hue = (s * 47) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="250" height="188"><rect width="100%" height="100%" fill="hsl(${hue},55%,45%)"/><circle cx="${60 + s * 6}" cy="90" r="50" fill="hsl(${(hue + 150) % 360},70%,60%)"/></svg>`;
    await fs.writeFile(file, await sharp(Buffer.from(svg)).webp().toBuffer());
    distinct.push(file);
  }
  for (let i = 0; i < ids.length; i++) {
    const target = store.pathFor(ids[i]!.id);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.link(distinct[i % distinct.length]!, target);
  }
}

/**
 * What the explore views read, spread deterministically over the seeded rows (`inode` is the
 * row's number + 1): 30 % geotagged around five cities, three cameras, 5 % videos, 2 % labelled
 * "too dark", 1 % unreadable (failed, off the timeline, on the Problems page).
 */
async function seedExplore(server: FreshServer, libraryId: string): Promise<void> {
  await sql`
    update assets set
      make = (array['Canon', 'FUJIFILM', 'Apple'])[(inode::int % 3) + 1],
      model = (array['Canon EOS R6', 'X-T5', 'iPhone 15'])[(inode::int % 3) + 1],
      gps_latitude = case when inode::int % 10 < 3
        then (array[41.9, 48.85, 35.68, 40.71, -33.86])[((inode::int / 10) % 5) + 1] + ((inode::bigint * 7919) % 1000) / 2000.0
        end,
      gps_longitude = case when inode::int % 10 < 3
        then (array[12.49, 2.35, 139.69, -74.0, 151.21])[((inode::int / 10) % 5) + 1] + ((inode::bigint * 104729) % 1000) / 2000.0
        end,
      kind = case when inode::int % 20 = 7 then 'video' else 'jpeg' end,
      quality_labels = case when inode::int % 50 = 11 then '["too dark"]'::jsonb else '[]'::jsonb end,
      status = case when inode::int % 100 = 99 then 'failed' else 'ready' end,
      problem_code = case when inode::int % 100 = 99 then 'unsupported' end,
      problem_message = case when inode::int % 100 = 99 then 'Not a picture or video photo-sync can read.' end
    where library_id = ${libraryId}::uuid`.execute(server.app.database.db);
  await sql`analyze assets`.execute(server.app.database.db);
}

/** Median of `runs` timed GETs of `url(i)` in the page (each URL distinct: no page-cache hit). */
const timedGets = (urls: string[]) => `(async () => {
  const urls = ${JSON.stringify(urls)};
  const runs = [];
  let items = 0;
  for (const u of urls) {
    const t = performance.now();
    const r = await fetch(u);
    if (!r.ok) throw new Error(u + ' answered ' + r.status);
    const b = await r.json();
    runs.push(performance.now() - t);
    items = (b.items ?? b.clusters ?? b.buckets ?? b.cameras ?? []).length;
  }
  runs.sort((a, b) => a - b);
  return { median: runs[Math.floor(runs.length / 2)], min: runs[0], max: runs.at(-1), items };
})()`;

type Timed = { median: number; min: number; max: number; items: number };

async function exploreFigures(page: Page, baseUrl: string) {
  const RUNS = 7;
  const vary = (url: string) =>
    Array.from({ length: RUNS }, (_, i) => `${url}${url.includes('?') ? '&' : '?'}limit=${100 + i}`);
  const measure = (urls: string[]) => page.evaluate<Timed>(timedGets(urls));
  const rows: [string, Timed][] = [];
  const baseline = await measure(vary('/api/timeline/assets'));
  rows.push(['timeline page (baseline)', baseline]);
  const filters: [string, string][] = [
    ['camera=X-T5', 'camera'],
    ['kind=video', 'kind (5 %)'],
    [`label=${encodeURIComponent('too dark')}`, 'label (2 %)'],
    ['folder=%2Fbench%2F42', 'folder (1 of 100)'],
    ['from=2023-03-01&to=2023-03-31', 'date range (a month)'],
    ['camera=X-T5&kind=video', 'camera + kind'],
  ];
  for (const [q, name] of filters)
    rows.push([`timeline filtered: ${name}`, await measure(vary(`/api/timeline/assets?${q}`))]);
  const tz = encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const bucketsAll = await measure(Array.from({ length: RUNS }, () => `/api/timeline/buckets?tz=${tz}`));
  rows.push(['buckets (baseline)', bucketsAll]);
  rows.push([
    'buckets filtered: camera',
    await measure(Array.from({ length: RUNS }, () => `/api/timeline/buckets?tz=${tz}&camera=X-T5`)),
  ]);
  for (const zoom of [0, 3, 6]) {
    const box =
      zoom === 0
        ? ''
        : zoom === 3
          ? '&south=30&north=55&west=-10&east=30'
          : '&south=41&north=43&west=11&east=14';
    rows.push([
      `map clusters zoom ${zoom}`,
      await measure(Array.from({ length: RUNS }, () => `/api/map/clusters?zoom=${zoom}${box}`)),
    ]);
  }
  rows.push([
    'map: a cluster’s photos',
    await measure(vary('/api/map/assets?south=41.5&north=42.5&west=12&east=13.5')),
  ]);
  rows.push(['problems page', await measure(vary('/api/problems'))]);
  rows.push(['filter facets', await measure(Array.from({ length: RUNS }, () => '/api/timeline/facets'))]);

  console.log(`
explore endpoints (median of ${RUNS} in the browser; ratio vs the unfiltered timeline page)`);
  for (const [name, r] of rows)
    console.log(
      `  ${name.padEnd(34)} ${r.median.toFixed(1).padStart(7)} ms (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)})  ${String(r.items).padStart(5)} items  ×${(r.median / baseline.median).toFixed(2)}`,
    );

  // The views themselves, in Chromium.
  let t = performance.now();
  await page.goto(baseUrl + '/map');
  await page.waitForSelector('[data-cluster]', { timeout: 60_000 });
  const mapMs = performance.now() - t;
  const clusters = await page.locator('[data-cluster]').count();
  t = performance.now();
  await page.goto(baseUrl + '/problems');
  await page.waitForSelector('tr[data-path]', { timeout: 60_000 });
  const problemsMs = performance.now() - t;
  t = performance.now();
  await page.goto(baseUrl + '/?camera=X-T5');
  await page.waitForFunction(
    `[...document.querySelectorAll('.tl-card img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 24`,
    undefined,
    { timeout: 120_000, polling: 'raf' },
  );
  const filteredMs = performance.now() - t;
  console.log(`
explore views in Chromium (navigation to drawn)`);
  console.log(`  map: ${clusters} clusters drawn in ${mapMs.toFixed(0)} ms`);
  console.log(`  problems: first rows in ${problemsMs.toFixed(0)} ms`);
  console.log(`  timeline filtered by camera: first 24 thumbnails in ${filteredMs.toFixed(0)} ms`);
}

/** Creates and signs in the first user (its session cookies land in the browser); returns its id. */
async function signIn(page: Page, baseUrl: string): Promise<string> {
  const body = { email: 'bench@example.com', name: 'Bench', password: 'bench-password-123' };
  const r = await page.request.post(`${baseUrl}/api/auth/setup`, { data: body });
  if (!r.ok()) throw new Error(`setup failed: ${r.status()} ${await r.text()}`);
  return ((await r.json()) as { user: { id: string } }).user.id;
}

const scrollProbe = `
  (async ({ selector, seconds }) => {
    const el = document.querySelector(selector);
    const longTasks = [];
    const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); });
    obs.observe({ type: 'longtask', buffered: false });
    const frames = [];
    const start = performance.now();
    await new Promise((done) => {
      const tick = (t) => {
        frames.push(t);
        el.scrollTop += 90; // a fast flick: ~5,400 px/s at 60 Hz
        if (t - start < seconds * 1000) requestAnimationFrame(tick); else done();
      };
      requestAnimationFrame(tick);
    });
    obs.disconnect();
    const gaps = frames.slice(1).map((t, i) => t - frames[i]);
    gaps.sort((a, b) => a - b);
    return {
      fps: (frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000),
      p95FrameMs: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
      worstFrameMs: gaps.at(-1) ?? 0,
      longTasks: longTasks.length,
      longTaskMs: longTasks.reduce((s, d) => s + d, 0),
      scrolledPx: el.scrollTop,
      domNodes: document.getElementsByTagName('*').length,
    };
  })`;

type ScrollResult = {
  fps: number;
  p95FrameMs: number;
  worstFrameMs: number;
  longTasks: number;
  longTaskMs: number;
  scrolledPx: number;
  domNodes: number;
};

async function main() {
  const bundle = await bundleSize();
  console.log('bench:web — bundle (gzipped)');
  console.log(`  initial JS ${kb(bundle.initialJs)} (target < 250 KB), initial CSS ${kb(bundle.initialCss)}`);
  console.log(`  all JS chunks ${kb(bundle.allJs)} in ${bundle.chunks} files (views load on demand)`);
  if (chromiumMissingReason) {
    console.log(`  browser figures skipped: ${chromiumMissingReason}`);
    return;
  }

  const server = await startFreshServer();
  const browser = await launchChromium({ width: 1440, height: 900 });
  try {
    const page = await browser.context.newPage();
    const userId = await signIn(page, server.baseUrl);
    let t = performance.now();
    await seed(server, ASSETS, userId);
    console.log(
      `\nseeded ${ASSETS.toLocaleString()} assets in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // Warm the HTTP cache of the app shell once, as a returning user has it.
    await page.goto(server.baseUrl + '/settings');
    await page.waitForSelector('h1');
    await page.goto(server.baseUrl + '/');
    await page.waitForFunction(
      `[...document.querySelectorAll('.tl-card img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 24`,
      undefined,
      { timeout: 120_000, polling: 'raf' },
    );
    const firstThumbsMs = await page.evaluate<number>('performance.now()');
    const initialNodes = await page.evaluate<number>(`document.getElementsByTagName('*').length`);
    const timeline = await page.evaluate<ScrollResult>(
      `${scrollProbe}({ selector: '[data-testid=timeline-scroll]', seconds: ${SCROLL_SECONDS} })`,
    );
    // The overview the layout starts from: per-month counts of the whole library, one query.
    const bucketRuns = await page.evaluate<number[]>(`(async () => {
      const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const runs = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await (await fetch('/api/timeline/buckets?tz=' + encodeURIComponent(tz))).json();
        runs.push(performance.now() - t);
      }
      return runs.sort((a, b) => a - b);
    })()`);

    // Deep in the library: the scrubber jumps to a month a year before the oldest, never loaded.
    const slider = page.getByRole('slider', { name: 'Jump to date' });
    const monthCount = Number(await slider.getAttribute('aria-valuemax')) + 1;
    const target = Math.max(0, monthCount - 13);
    await slider.focus();
    t = performance.now();
    await page.keyboard.press('End');
    await page.keyboard.press('PageUp');
    await page.waitForFunction(
      `document.querySelector('.scrubber')?.getAttribute('aria-valuenow') === '${target}' &&
       [...document.querySelectorAll('.tl-card img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 24`,
      undefined,
      { timeout: 120_000, polling: 'raf' },
    );
    const jumpMs = performance.now() - t;
    const jumpedTo = (await slider.getAttribute('aria-valuetext')) ?? '';
    const jumpNodes = await page.evaluate<number>(`document.getElementsByTagName('*').length`);
    const deep = await page.evaluate<ScrollResult>(
      `${scrollProbe}({ selector: '[data-testid=timeline-scroll]', seconds: ${SCROLL_SECONDS} })`,
    );

    await exploreFigures(page, server.baseUrl);

    // Baseline: DEEP cards as one plain grid (no virtualisation).
    const cardCount = Math.min(DEEP, ASSETS);
    const ids = await page.evaluate<string[]>(
      `fetch('/api/assets?limit=500').then((r) => r.json()).then((b) => b.items.map((a) => a.id))`,
    );
    t = performance.now();
    await page.evaluate(`(() => {
      const ids = ${JSON.stringify(ids)};
      document.body.innerHTML = '';
      const box = document.createElement('div');
      box.id = 'plain';
      box.style.cssText = 'height:100vh;overflow-y:auto;display:flex;flex-wrap:wrap;gap:4px';
      for (let i = 0; i < ${cardCount}; i++) {
        const b = document.createElement('button');
        b.style.cssText = 'width:160px;height:160px;padding:0;border:0';
        const img = document.createElement('img');
        img.loading = 'lazy';
        img.src = '/api/assets/' + ids[i % ids.length] + '/thumbnail';
        img.style.cssText = 'width:100%;height:100%;object-fit:cover';
        b.appendChild(img);
        box.appendChild(b);
      }
      document.body.appendChild(box);
    })()`);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(null)))');
    const plainRenderMs = performance.now() - t;
    const plain = await page.evaluate<ScrollResult>(
      `${scrollProbe}({ selector: '#plain', seconds: ${SCROLL_SECONDS} })`,
    );

    const row = (name: string, r: ScrollResult) =>
      `  ${name.padEnd(28)} ${r.fps.toFixed(0).padStart(4)} fps  p95 frame ${r.p95FrameMs.toFixed(1).padStart(6)} ms  worst ${r.worstFrameMs.toFixed(0).padStart(5)} ms  long tasks ${String(r.longTasks).padStart(3)} (${r.longTaskMs.toFixed(0)} ms)  DOM ${r.domNodes.toLocaleString()} nodes`;
    console.log(`\ntimeline, ${ASSETS.toLocaleString()} assets in the library`);
    console.log(`  first 24 thumbnails shown ${firstThumbsMs.toFixed(0)} ms after navigation`);
    console.log(`  DOM after first paint ${initialNodes.toLocaleString()} nodes`);
    console.log(
      `  whole range laid out from ${monthCount} month buckets; GET /api/timeline/buckets median ${bucketRuns[2]?.toFixed(0)} ms (min ${bucketRuns[0]?.toFixed(0)}, max ${bucketRuns[4]?.toFixed(0)})`,
    );
    console.log(
      `  scrubber jump to ${jumpedTo} (never loaded): first 24 thumbnails in ${jumpMs.toFixed(0)} ms, DOM ${jumpNodes.toLocaleString()} nodes`,
    );
    console.log(`\nscrolling ${SCROLL_SECONDS} s at ~5,400 px/s`);
    console.log(row('virtualised, first pages', timeline));
    console.log(row(`virtualised, after the jump`, deep));
    console.log(row(`baseline: plain grid (${cardCount.toLocaleString()})`, plain));
    console.log(`  (baseline grid took ${plainRenderMs.toFixed(0)} ms to build)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
