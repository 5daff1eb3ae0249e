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
