import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  chromiumMissingReason,
  launchChromium,
  type BrowserSession,
} from '../support/browser.js';
import { makeTempDir } from '../support/test-app.js';
import { recordWebm, writeUiLibrary } from '../support/ui-fixture.js';
import { startFreshServer, type FreshServer } from '../support/web-server.js';

if (chromiumMissingReason) console.warn(`[screenshots e2e] skipped: ${chromiumMissingReason}`);

/** Where the run saves one PNG per view and screen size (artifacts/ is not committed). */
export const screenshotDir = path.join(artifactsDir, 'views');

const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

interface View {
  name: string;
  /** What the picture shows, printed in the run's list. */
  shows: string;
  /** Path to open (a function when it depends on the fixture's ids). */
  path: string | ((ids: Ids) => string);
  /** A selector that is there once the view has its content. */
  ready: string;
  /** Steps after the page loads (open a dialog…). */
  open?: (page: Page) => Promise<void>;
  /** A view another part of the work adds: "Page not found" skips it, with the reason printed. */
  optional?: boolean;
}

interface Ids {
  albumId: string;
}

/**
 * Every view of the web app. A new view is one entry here; the run saves it at every size and
 * prints the list (a view that does not load fails the run, unless it is optional).
 */
export const VIEWS: View[] = [
  {
    name: 'timeline',
    shows: 'Photos by day, the burst as one card with “8 in burst”, the video with ▶',
    path: '/',
    ready: '.tl-card',
  },
  {
    name: 'viewer',
    shows: 'The photo viewer: n / N over the whole timeline, ♥, Download, Add to album, Delete, details',
    path: '/',
    ready: '.tl-card',
    open: async (page) => {
      await page
        .getByRole('button', { name: /in burst/ })
        .first()
        .click();
      await page.locator('.viewer-image img').first().waitFor();
    },
  },
  {
    name: 'viewer-versions',
    shows: 'A version stack in the viewer: the versions strip, “primary” badge, “Set as primary”',
    path: '/',
    ready: '.tl-card',
    open: async (page) => {
      const card = page.getByRole('button', { name: /2 versions/ }).first();
      await card.scrollIntoViewIfNeeded();
      await card.click();
      await page.locator('.version-switcher').waitFor();
    },
  },
  {
    name: 'triage',
    shows: 'Triage: what each category found, with confidence',
    path: '/triage',
    ready: '[data-category]',
  },
  {
    name: 'duplicates',
    shows: 'Duplicate groups (the exact copy in backup/)',
    path: '/duplicates',
    ready: '[data-group]',
  },
  {
    name: 'compare',
    shows: 'Side-by-side comparison of a duplicate group, keeper marked',
    path: '/duplicates',
    ready: '[data-group]',
    open: async (page) => {
      await page.locator('[data-group]').first().click();
      await page.locator('figure.pane').nth(1).waitFor();
    },
  },
  {
    name: 'bursts',
    shows: 'Bursts: the 8 frames with scores 0-100, best marked, keep boxes',
    path: '/bursts',
    ready: '[data-burst]',
  },
  {
    name: 'burst-frame',
    shows: 'One burst frame enlarged, with “Keep this frame”',
    path: '/bursts',
    ready: '[data-burst]',
    open: async (page) => {
      await page.getByRole('button', { name: /Enlarge frame 2/ }).click();
      await page.locator('.burst-lightbox .viewer-image img').waitFor();
    },
  },
  { name: 'quality', shows: 'Low-quality photos (the dark one)', path: '/quality', ready: 'main h1' },
  {
    name: 'problems',
    shows: 'Unreadable files with reason and path',
    path: '/problems',
    ready: 'main h1',
    optional: true,
  },
  {
    name: 'suggestions',
    shows: 'Album suggestions (events and places) to accept',
    path: '/suggestions',
    ready: 'main h1',
  },
  {
    name: 'albums',
    shows: 'Albums with cover, title and count on separate lines, “New album”',
    path: '/albums',
    ready: '.album-card',
  },
  {
    name: 'album',
    shows: 'One album: its photos, cover badge, Rename / Add photos / Delete album',
    path: (ids) => `/albums/${ids.albumId}`,
    ready: '[data-asset]',
  },
  { name: 'favourites', shows: 'The user’s favourites', path: '/favourites', ready: '[data-favourite]' },
  { name: 'map', shows: 'Geotagged photos on a map', path: '/map', ready: 'main h1', optional: true },
  {
    name: 'libraries',
    shows: 'Libraries: add form, the library with Rescan / Share / Remove library',
    path: '/libraries',
    ready: '[data-library]',
  },
  { name: 'jobs', shows: 'Jobs with their progress and outcome', path: '/jobs', ready: '[data-job]' },
  { name: 'trash', shows: 'Trash with a restorable item', path: '/trash', ready: '.trash-row' },
  {
    name: 'settings',
    shows: 'Settings: account, API keys, detection thresholds',
    path: '/settings',
    ready: 'main h1',
  },
  { name: 'users', shows: 'Users (admin): the list and the add form', path: '/admin/users', ready: 'table' },
  {
    name: 'audit',
    shows: 'Audit log of what was done, by whom',
    path: '/admin/audit',
    ready: '.jobs-table tbody tr',
  },
];

/** Shown only when signed out; taken last. */
const LOGIN: View = { name: 'login', shows: 'The sign-in page', path: '/', ready: 'form' };

/**
 * Waits until the images in view (lazy thumbnails, previews) have loaded, for at most 3 s: a
 * screenshot shows them rather than their placeholders. Polled from the test, since the app's CSP
 * forbids eval in the page (and with it waitForFunction).
 */
async function settled(page: Page): Promise<void> {
  const loaded = `[...document.images]
    .filter((i) => { const r = i.getBoundingClientRect(); return r.width > 0 && r.bottom > 0 && r.top < innerHeight; })
    .every((i) => i.complete)`;
  const deadline = Date.now() + 3000;
  while (!(await page.evaluate<boolean>(loaded)) && Date.now() < deadline) await page.waitForTimeout(50);
}

describe.skipIf(chromiumMissingReason !== null)('screenshots of every view', () => {
  let server: FreshServer | undefined;
  let browser: BrowserSession | undefined;
  let root: string | undefined;
  const ids: Ids = { albumId: '' };
  const saved: { file: string; shows: string }[] = [];
  const skipped: string[] = [];

  beforeAll(async () => {
    await fs.rm(screenshotDir, { recursive: true, force: true });
    await fs.mkdir(screenshotDir, { recursive: true });
    browser = await launchChromium();
    const page = await browser.context.newPage();
    root = await makeTempDir('screenshots');
    await writeUiLibrary(root, await recordWebm(page));
    server = await startFreshServer();
    const base = server.baseUrl;
    const post = async (p: string, data: unknown) => {
      const r = await page.request.post(`${base}${p}`, { data });
      expect(r.ok(), `${p}: ${await r.text()}`).toBe(true);
      return r.json() as Promise<Record<string, unknown>>;
    };
    await post('/api/auth/setup', {
      email: 'sam@example.com',
      name: 'Sam',
      password: 'screenshot-password-1',
    });
    await post('/api/libraries', { name: 'Family', roots: [root] });
    await server.app.queue.whenIdle();
    await post('/api/users', {
      email: 'kim@example.com',
      name: 'Kim',
      password: 'another-password-12',
      role: 'user',
    });
    const suggestions = (await (await page.request.get(`${base}/api/suggestions`)).json()) as {
      items: { id: string; assetCount: number }[];
    };
    const biggest = [...suggestions.items].sort((a, b) => b.assetCount - a.assetCount)[0];
    if (biggest)
      ids.albumId = String((await post(`/api/suggestions/${biggest.id}/accept`, { name: 'Holiday' })).id);
    const grid = (await (await page.request.get(`${base}/api/timeline/assets?limit=500`)).json()) as {
      items: { id: string; fileName: string }[];
    };
    const pick = (name: string) => grid.items.find((a) => a.fileName === name)?.id ?? '';
    const fav = await page.request.put(`${base}/api/assets/${pick('DSC_302.JPG')}/favourite`, {
      data: { favourite: true },
    });
    expect(fav.ok()).toBe(true);
    await post('/api/actions', {
      items: [{ kind: 'remove', assetId: pick('M2022-01-05.jpg'), reason: 'screenshot' }],
    });
    await server.app.queue.whenIdle();
    await page.close();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
    if (saved.length > 0)
      console.log(
        `Screenshots (${saved.length}) in ${screenshotDir}:\n` +
          saved.map((s) => `  ${path.basename(s.file)} — ${s.shows}`).join('\n') +
          (skipped.length > 0 ? `\nNot taken:\n${skipped.map((s) => `  ${s}`).join('\n')}` : ''),
      );
  });

  /** One page per screen size, reused by every view (each view loads its path afresh). */
  const pages = new Map<(typeof SIZES)[number], Page>();
  async function pageAt(size: (typeof SIZES)[number]): Promise<Page> {
    let page = pages.get(size);
    if (!page) {
      page = await browser!.context.newPage();
      await page.setViewportSize(size);
      pages.set(size, page);
    }
    return page;
  }

  async function capture(view: View, size: (typeof SIZES)[number]): Promise<void> {
    const page = await pageAt(size);
    const p = typeof view.path === 'function' ? view.path(ids) : view.path;
    await page.goto(`${server!.baseUrl}${p}`);
    const missing = page.getByRole('heading', { name: 'Page not found' });
    // One wait for either (a losing wait would linger on the reused page).
    await page.locator(view.ready).or(missing).first().waitFor({ timeout: 20_000 });
    if (view.optional && (await missing.isVisible())) {
      skipped.push(
        `${view.name} (${size.width}×${size.height}): no such view yet (${p} is "Page not found")`,
      );
      return;
    }
    await page.locator(view.ready).first().waitFor({ timeout: 1000 });
    await view.open?.(page);
    await settled(page);
    const file = path.join(screenshotDir, `${view.name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    expect((await fs.stat(file)).size).toBeGreaterThan(1000);
    saved.push({ file, shows: view.shows });
  }

  for (const view of VIEWS)
    it(view.name, async () => {
      for (const size of SIZES) await capture(view, size);
    });

  it('login (signed out)', async () => {
    const page = await browser!.context.newPage();
    await page.request.post(`${server!.baseUrl}/api/auth/logout`);
    await page.close();
    for (const size of SIZES) await capture(LOGIN, size);
  });
});
