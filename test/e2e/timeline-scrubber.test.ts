import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium, type BrowserSession } from '../support/browser.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir } from '../support/test-app.js';
import { startFreshServer, type FreshServer } from '../support/web-server.js';

if (chromiumMissingReason) console.warn(`[timeline e2e] skipped: ${chromiumMissingReason}`);

/**
 * Two small photos a month over two years, a busy newest month (more than the first page the
 * timeline asks for, so older months are fetched only when they come into view), and one large
 * photo as the newest of all.
 */
async function writeLibrary(root: string): Promise<void> {
  let seed = 300;
  for (let i = 0; i < 110; i++)
    await writeFileDeep(
      path.join(root, `busy/B${String(i).padStart(3, '0')}.jpg`),
      await makeJpeg({
        seed: seed++,
        width: 160,
        height: 120,
        dateTimeOriginal: `2024:06:0${1 + (i % 9)} ${String(8 + (i % 10)).padStart(2, '0')}:00:00`,
      }),
    );
  for (let year = 2022; year <= 2023; year++)
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, '0');
      for (const day of ['05', '20'])
        await writeFileDeep(
          path.join(root, `${year}/M${year}-${mm}-${day}.jpg`),
          await makeJpeg({
            seed: seed++,
            width: 400,
            height: 300,
            dateTimeOriginal: `${year}:${mm}:${day} 12:00:00`,
          }),
        );
    }
  await writeFileDeep(
    path.join(root, 'big/BIG.jpg'),
    await makeJpeg({ seed: 9, width: 2400, height: 1600, dateTimeOriginal: '2024:06:10 12:00:00' }),
  );
}

const cardsOf = (page: Page, prefix: string) => page.locator(`.tl-card[aria-label^="${prefix}"]`);

describe.skipIf(chromiumMissingReason !== null)('timeline over the whole library in Chromium', () => {
  let server: FreshServer | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let root: string | undefined;
  const monthRequests: string[] = [];

  beforeAll(async () => {
    root = await makeTempDir('timeline-e2e');
    await writeLibrary(root);
    server = await startFreshServer();
    browser = await launchChromium();
    page = await browser.context.newPage();
    const body = { email: 'tess@example.com', name: 'Tess', password: 'timeline-password-123' };
    expect((await page.request.post(`${server.baseUrl}/api/auth/setup`, { data: body })).ok()).toBe(true);
    const created = await page.request.post(`${server.baseUrl}/api/libraries`, { data: { roots: [root] } });
    expect(created.status()).toBe(201);
    await server.app.queue.whenIdle();
    page.on('request', (r) => {
      if (r.url().includes('/api/timeline/assets?') && r.url().includes('before='))
        monthRequests.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('lays out every month up front and jumps with the scrubber to an old month not loaded yet', async () => {
    if (!server) throw new Error('no server');
    await page.goto(server.baseUrl + '/');
    await cardsOf(page, 'BIG.jpg').waitFor();
    await page.getByText('159 items').waitFor();
    // The oldest month is laid out (the scroll height covers it) but its photos were never fetched.
    expect(await cardsOf(page, 'M2022-01').count()).toBe(0);
    const fetchedBefore = monthRequests.length;
    const scrollHeight = await page.evaluate<number>(
      `document.querySelector('[data-testid=timeline-scroll]').scrollHeight`,
    );
    expect(scrollHeight).toBeGreaterThan(25 * 300);

    await page.locator('.scrubber [data-month="2022-01"]').click();
    await expect.poll(() => cardsOf(page, 'M2022-01').count(), { timeout: 30_000 }).toBe(2);
    expect(monthRequests.length).toBeGreaterThan(fetchedBefore);
    // Polled from the test (CDP evaluation), not waitForFunction: the app's CSP forbids eval in the page.
    await expect
      .poll(() =>
        page.evaluate(
          `[...document.querySelectorAll('.tl-card[aria-label^="M2022-01"] img')].every((i) => i.complete && i.naturalWidth > 0)`,
        ),
      )
      .toBe(true);
    expect(await page.getByRole('slider', { name: 'Jump to date' }).getAttribute('aria-valuetext')).toMatch(
      /2022/,
    );
    // Only what is near the viewport is in the DOM.
    expect(await page.locator('.tl-card').count()).toBeLessThan(159);

    // The keyboard reaches the newest month again.
    await page.getByRole('slider', { name: 'Jump to date' }).focus();
    await page.keyboard.press('Home');
    await cardsOf(page, 'BIG.jpg').waitFor();
  });

  it('opens the viewer on the display-size preview, not the 250 px thumbnail', async () => {
    await cardsOf(page, 'BIG.jpg').click();
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor();
    const img = page.locator('.viewer-image img[data-preview="full"]');
    await img.waitFor({ timeout: 30_000 });
    const naturalWidth = () =>
      page.evaluate<number>(
        `document.querySelector('.viewer-image img[data-preview="full"]')?.naturalWidth ?? 0`,
      );
    await expect.poll(naturalWidth).toBeGreaterThan(250);
    expect(await naturalWidth()).toBe(1920);
    // Next steps into the older months, loaded as the viewer needs them.
    await page.keyboard.press('ArrowRight');
    await page.getByText(/^2 \/ \d+$/).waitFor();
    await page.keyboard.press('Escape');
  });
});
