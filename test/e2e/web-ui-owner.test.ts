import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium, type BrowserSession } from '../support/browser.js';
import { makeTempDir } from '../support/test-app.js';
import { BURST_FRAMES, recordWebm, writeUiLibrary } from '../support/ui-fixture.js';
import { startFreshServer, type FreshServer } from '../support/web-server.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';

if (chromiumMissingReason) console.warn(`[web-ui-owner e2e] skipped: ${chromiumMissingReason}`);

/**
 * Issue 18, part A, walked as a photo owner in Chromium against the real server: libraries
 * (overlap refused with the server's words, removal that touches no file), albums, bursts in the
 * timeline and on their page, the viewer (count, set primary, video, delete, download, favourite,
 * camera name).
 */

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
const viewer = (page: Page) => page.getByRole('dialog', { name: 'Photo viewer' });

interface GridItem {
  id: string;
  fileName: string;
  burstId: string | null;
}

describe.skipIf(chromiumMissingReason !== null)('web UI for a photo owner (issue 18 A)', () => {
  let server: FreshServer | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let root: string | undefined;
  let other: string | undefined;

  const json = async <T>(p: string): Promise<T> =>
    (await page.request.get(`${server!.baseUrl}${p}`)).json() as Promise<T>;
  const grid = async () => (await json<{ items: GridItem[] }>('/api/timeline/assets?limit=500')).items;
  const openCard = async (label: string | RegExp) => {
    const card = page
      .locator('.tl-card')
      .filter({ has: page.locator('img, span') })
      .and(page.getByRole('button', { name: label }));
    await card.first().scrollIntoViewIfNeeded();
    await card.first().click();
    await viewer(page).waitFor();
  };

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    root = await makeTempDir('owner-e2e');
    other = await makeTempDir('owner-e2e-other');
    await writeUiLibrary(root, await recordWebm(page));
    await writeFileDeep(path.join(other, 'one.jpg'), await makeJpeg({ seed: 5, width: 400, height: 300 }));
    server = await startFreshServer();
    const body = { email: 'olga@example.com', name: 'Olga', password: 'owner-password-123' };
    expect((await page.request.post(`${server.baseUrl}/api/auth/setup`, { data: body })).ok()).toBe(true);
    const created = await page.request.post(`${server.baseUrl}/api/libraries`, {
      data: { name: 'Photos', roots: [root] },
    });
    expect(created.status()).toBe(201);
    await server.app.queue.whenIdle();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const d of [root, other]) if (d) await fs.rm(d, { recursive: true, force: true });
  });

  it('Libraries: a folder already registered, or inside one, is refused with the server’s reason', async () => {
    await page.goto(`${server!.baseUrl}/libraries`);
    await page.locator('[data-library]').first().waitFor();
    const attempt = async (folder: string) => {
      await page.getByLabel('Folder on the server').fill(folder);
      await page.getByRole('button', { name: 'Add and scan' }).click();
      const alert = page.locator('.add-library [role=alert]');
      await alert.waitFor({ timeout: 10_000 });
      // The server's problem detail, not a generic failure.
      expect(await alert.textContent()).toMatch(/already|overlap|inside|contain/i);
      expect(await page.locator('[data-library]').count()).toBe(1);
    };
    try {
      await attempt(root!);
      await attempt(path.join(root!, 'burst'));
    } finally {
      // A server that accepted the overlap must not double every photo for the tests that follow.
      const libs = await json<{ items: { id: string; name: string }[] }>('/api/libraries');
      for (const l of libs.items.filter((x) => x.name !== 'Photos'))
        await page.request.delete(`${server!.baseUrl}/api/libraries/${l.id}`);
      await server!.app.queue.whenIdle();
    }
    expect((await json<{ items: unknown[] }>('/api/libraries')).items).toHaveLength(1);
  });

  it('Timeline: an 8-frame burst is one card with a count badge, its frames carry a burstId', async () => {
    const items = await grid();
    const frames = items.filter((a) => /^IMG_10\d\d\.JPG$/.test(a.fileName));
    expect(frames).toHaveLength(BURST_FRAMES);
    expect(new Set(frames.map((f) => f.burstId)).size).toBe(1);
    expect(frames[0]?.burstId).not.toBeNull();

    await page.goto(server!.baseUrl);
    await page.locator('.tl-card').first().waitFor();
    const burstCards = page.getByRole('button', { name: /IMG_10\d\d\.JPG/ });
    await page
      .getByRole('button', { name: `IMG_1008.JPG, ${BURST_FRAMES} in burst` })
      .or(page.getByRole('button', { name: new RegExp(`IMG_10\\d\\d\\.JPG, ${BURST_FRAMES} in burst`) }))
      .first()
      .scrollIntoViewIfNeeded();
    await expect.poll(() => burstCards.count(), { timeout: 15_000 }).toBe(1);
    expect(await burstCards.first().getAttribute('aria-label')).toContain(`${BURST_FRAMES} in burst`);
    expect(await burstCards.first().locator('.card-badge').textContent()).toBe(`${BURST_FRAMES} in burst`);
  });

  it('Viewer: "n / N" counts the whole timeline, and the camera reads "Canon EOS 80D"', async () => {
    const buckets = await json<{ buckets: { cards: number }[] }>(
      `/api/timeline/buckets?tz=${encodeURIComponent(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone))}`,
    );
    const total = buckets.buckets.reduce((n, b) => n + b.cards, 0);
    await page.goto(server!.baseUrl);
    await page.locator('.tl-card').first().click();
    await viewer(page).waitFor();
    await viewer(page).getByText(`1 / ${total}`, { exact: true }).waitFor();
    await page.keyboard.press('Escape');

    await openCard(/in burst/);
    const camera = viewer(page)
      .locator('.meta-panel div', { has: page.locator('dt', { hasText: 'Camera' }) })
      .locator('dd');
    await camera.waitFor();
    expect(await camera.textContent()).toBe('Canon EOS 80D');
    await page.keyboard.press('Escape');
  });

  it('Viewer: a video plays from its original, served with Range support', async () => {
    const clip = (await grid()).find((a) => a.fileName === 'clip.webm');
    expect(clip).toBeDefined();
    const ranged = await page.request.get(`${server!.baseUrl}/api/assets/${clip!.id}/original`, {
      headers: { range: 'bytes=0-99' },
    });
    expect(ranged.status()).toBe(206);
    expect(ranged.headers()['content-range']).toMatch(/^bytes 0-99\/\d+$/);
    expect((await ranged.body()).length).toBe(100);

    await page.goto(server!.baseUrl);
    await openCard('clip.webm');
    const video = viewer(page).locator('video');
    await video.waitFor();
    await expect
      .poll(() => page.evaluate<number>("document.querySelector('.viewer video').readyState"), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(1);
    await page.evaluate(
      "(() => { const v = document.querySelector('.viewer video'); v.muted = true; return v.play(); })()",
    );
    await expect
      .poll(() => page.evaluate<number>("document.querySelector('.viewer video').currentTime"), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.keyboard.press('Escape');
  });

  it('Viewer: "Set as primary" keeps the viewer open on that version', async () => {
    await page.goto(server!.baseUrl);
    await openCard(/2 versions/);
    const switcher = viewer(page).getByLabel('Versions');
    const other = switcher.locator('button:not(.selected):not(.primary)').first();
    const title = await other.getAttribute('title');
    await other.click();
    await viewer(page).getByRole('button', { name: 'Set as primary' }).click();
    // The stack is reloaded with another primary: the viewer stays, showing the same version.
    await switcher
      .locator('button.selected', { has: page.locator('.card-badge', { hasText: 'primary' }) })
      .waitFor({ timeout: 10_000 });
    expect(await viewer(page).isVisible()).toBe(true);
    expect(await switcher.locator('button.selected').getAttribute('title')).toBe(title);
    await page.keyboard.press('Escape');
  });

  it('Viewer: favourite, download the original, and delete to Trash after confirming', async () => {
    await page.goto(server!.baseUrl);
    await openCard('DSC_302.JPG');
    await viewer(page).getByRole('button', { name: 'Add to favourites' }).click();
    await viewer(page).getByRole('button', { name: 'Remove from favourites', pressed: true }).waitFor();

    const file = path.join(root!, '2025-06 Rome/DSC_302.JPG');
    const href = await viewer(page).getByRole('link', { name: 'Download' }).getAttribute('href');
    const download = await page.request.get(`${server!.baseUrl}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('attachment');
    expect(
      createHash('sha256')
        .update(await download.body())
        .digest('hex'),
    ).toBe(await sha256(file));
    await page.keyboard.press('Escape');

    await nav(page, 'Favourites').click();
    await page.locator('[data-favourite]').first().waitFor();
    expect(await page.locator('[data-favourite]').count()).toBe(1);
    await page.getByRole('img', { name: 'DSC_302.JPG' }).waitFor();

    await nav(page, 'Photos').click();
    await openCard('DSC_301.JPG');
    const gone = path.join(root!, '2025-06 Rome/DSC_301.JPG');
    await viewer(page).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: /Move DSC_301\.JPG to the Trash/ });
    await confirm.getByText('restore it from Trash').waitFor();
    await confirm.getByRole('button', { name: 'Move to Trash' }).click();
    await confirm.waitFor({ state: 'hidden', timeout: 10_000 });
    await expect.poll(() => exists(gone), { timeout: 60_000 }).toBe(false);
    // The viewer moved on to another photo.
    await viewer(page).waitFor();
    await page.keyboard.press('Escape');
    await viewer(page).waitFor({ state: 'hidden' });
    await nav(page, 'Trash').click();
    await page.locator('.trash-row', { hasText: gone }).waitFor({ timeout: 30_000 });
  });

  it('Bursts: real scores, enlarge and pick frames, "Keep best" confirms, a decided burst leaves at once', async () => {
    await page.goto(`${server!.baseUrl}/bursts`);
    const burst = page.locator('[data-burst]').first();
    await burst.waitFor();
    const scores = await burst.locator('.frame-score').allTextContents();
    expect(scores).toHaveLength(BURST_FRAMES);
    expect(new Set(scores).size).toBeGreaterThan(2);
    expect(scores.every((s) => Number(s) >= 0 && Number(s) <= 100)).toBe(true);

    await burst.getByRole('button', { name: /Enlarge frame 2/ }).click();
    const lightbox = page.getByRole('dialog', { name: 'Burst frame' });
    await lightbox.locator('.viewer-image img').waitFor();
    await lightbox.getByLabel('Keep this frame').check();
    await page.keyboard.press('ArrowRight');
    await lightbox.getByText(/Frame 3 \/ 8/).waitFor();
    await page.keyboard.press('Escape');
    await burst.getByRole('button', { name: /Keep 2 selected, remove 6/ }).waitFor();

    await burst.getByRole('button', { name: `Keep best, remove ${BURST_FRAMES - 1}` }).click();
    const confirm = page.getByRole('dialog', { name: /Keep the best frame/ });
    await confirm.waitFor();
    // Nothing moved before the confirmation.
    for (let i = 0; i < BURST_FRAMES; i++)
      expect(await exists(path.join(root!, `burst/IMG_${1001 + i}.JPG`))).toBe(true);
    await confirm.getByRole('button', { name: 'Move to Trash' }).click();
    await page.getByText('No bursts to review').waitFor({ timeout: 10_000 });
    await server!.app.queue.whenIdle();
    const left = [];
    for (let i = 0; i < BURST_FRAMES; i++)
      if (await exists(path.join(root!, `burst/IMG_${1001 + i}.JPG`))) left.push(i);
    expect(left).toHaveLength(1);
  });

  it('Albums: an accepted suggestion opens as an album with a cover, then is renamed and edited', async () => {
    await page.goto(`${server!.baseUrl}/suggestions`);
    // The day in Rome (the burst's event lost its frames to the Trash above).
    const suggestion = page.locator('form.suggestion', { hasText: /Jun 10, 2025/ }).first();
    await suggestion.waitFor();
    await suggestion.getByLabel('Album name').fill('Rome trip');
    await suggestion.getByRole('button', { name: 'Create album' }).click();
    await page.waitForURL(/\/albums\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Rome trip' }).waitFor();
    const photos = page.locator('[data-album-page] [data-asset]');
    await photos.first().waitFor();
    const count = await photos.count();
    expect(count).toBeGreaterThanOrEqual(2);

    // The list: a cover image, the title and the count as separate lines.
    await nav(page, 'Albums').click();
    const card = page.locator('.album-card').first();
    await card.waitFor();
    expect(await card.locator('.album-title').textContent()).toBe('Rome trip');
    expect(await card.locator('.album-count').textContent()).toBe(`${count} photos`);
    const titleBox = await card.locator('.album-title').boundingBox();
    const countBox = await card.locator('.album-count').boundingBox();
    expect(countBox!.y).toBeGreaterThanOrEqual(titleBox!.y + titleBox!.height - 1);
    expect(await card.locator('img').getAttribute('src')).toMatch(/\/api\/assets\/[0-9a-f-]+\/thumbnail/);

    await card.click();
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Album name').fill('Roma 2025');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: 'Roma 2025' }).waitFor();

    const second = photos.nth(1);
    const secondId = await second.getAttribute('data-asset');
    await second.getByRole('button', { name: /Set .* as cover/ }).click();
    await second.locator('.card-badge', { hasText: 'cover' }).waitFor();
    await photos
      .first()
      .getByRole('button', { name: /Remove .* from album/ })
      .click();
    await expect.poll(() => photos.count()).toBe(count - 1);

    await nav(page, 'Albums').click();
    expect(await page.locator('.album-card img').first().getAttribute('src')).toBe(
      `/api/assets/${secondId}/thumbnail`,
    );
    expect(await page.locator('.album-card .album-count').first().textContent()).toBe(`${count - 1} photos`);
  });

  it('Albums: a new album made by hand, with photos picked from the timeline', async () => {
    await page.goto(`${server!.baseUrl}/albums`);
    await page.getByLabel('New album').fill('Best of');
    await page.getByRole('button', { name: 'Create album' }).click();
    await page.getByRole('heading', { name: 'Best of' }).waitFor();
    await page.getByText('This album is empty').waitFor();
    await page.getByRole('button', { name: 'Add photos…' }).click();
    const picker = page.getByRole('dialog', { name: 'Add photos' });
    await picker.getByRole('checkbox').first().waitFor();
    await picker.getByRole('checkbox').nth(0).check();
    await picker.getByRole('checkbox').nth(1).check();
    await picker.getByRole('button', { name: 'Add 2 photos' }).click();
    await expect.poll(() => page.locator('[data-album-page] [data-asset]').count()).toBe(2);
    const albums = await json<{ items: { name: string; assetCount: number; coverUrl: string | null }[] }>(
      '/api/albums',
    );
    expect(albums.items.find((a) => a.name === 'Best of')).toMatchObject({ assetCount: 2 });
  });

  it('Libraries: removing one asks first, says files stay, and leaves every file on disk', async () => {
    await page.goto(`${server!.baseUrl}/libraries`);
    await page.getByLabel('Folder on the server').fill(other!);
    await page.getByLabel('Name (optional)', { exact: true }).fill('Scratch');
    await page.getByRole('button', { name: 'Add and scan' }).click();
    const card = page.locator('[data-library]', { hasText: 'Scratch' });
    await card.waitFor();
    await server!.app.queue.whenIdle();
    const digest = await sha256(path.join(other!, 'one.jpg'));

    await card.getByRole('button', { name: 'Remove library…' }).click();
    const dialog = page.getByRole('dialog', { name: /Remove the library “Scratch”/ });
    await dialog.getByText('Nothing on disk is touched').waitFor();
    await dialog.getByRole('button', { name: 'Remove library' }).click();
    await expect.poll(() => page.locator('[data-library]', { hasText: 'Scratch' }).count()).toBe(0);
    expect(await page.locator('[data-library]').count()).toBe(1);
    expect(await sha256(path.join(other!, 'one.jpg'))).toBe(digest);
  });
});
