import { createHash } from 'node:crypto';
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
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir } from '../support/test-app.js';
import { startFreshServer, type FreshServer } from '../support/web-server.js';

if (chromiumMissingReason) console.warn(`[web-ui e2e] skipped: ${chromiumMissingReason}`);

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

/** Every file under `dir` whose bytes hash to `digest`. */
async function findByHash(dir: string, digest: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    if (e.isFile() && (await sha256(full)) === digest) found.push(full);
  }
  return found;
}

/** A link of the main navigation (views also link to each other in their empty states). */
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: false });
}

interface DetailJson {
  members: { asset: { id: string; path: string }; isKeeper: boolean }[];
}

describe.skipIf(chromiumMissingReason !== null)('web UI in Chromium against the real server', () => {
  let server: FreshServer;
  let browser: BrowserSession | undefined;
  let started: FreshServer | undefined;
  let page: Page;
  let root: string;
  const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };
  const bob = { name: 'Bob', email: 'bob@example.com', password: 'another long secret' };

  beforeAll(async () => {
    await fs.mkdir(artifactsDir, { recursive: true });
    root = await makeTempDir('web-library');
    // Six distinct photos over two months, and an exact copy of the first in a backup folder.
    const dates = [
      '2025:06:03 10:00:00',
      '2025:06:03 11:00:00',
      '2025:06:04 09:00:00',
      '2025:05:20 08:00:00',
    ];
    for (let i = 0; i < 6; i++) {
      const jpeg = await makeJpeg({
        seed: 100 + i,
        width: 1200,
        height: 900,
        dateTimeOriginal: dates[i % dates.length],
        make: 'Canon',
        model: 'EOS R6',
      });
      await writeFileDeep(path.join(root, `DCIM/IMG_000${i}.JPG`), jpeg);
      if (i === 0) await writeFileDeep(path.join(root, 'backup/copy of IMG_0000.JPG'), jpeg);
    }
    server = started = await startFreshServer();
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await started?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('first run creates the admin, who adds a library and watches the scan progress', async () => {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Welcome to photo-sync' }).waitFor();
    await page.getByLabel('Name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await shot(page, '01-first-run');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByText('No photos yet').waitFor();
    await shot(page, '02-timeline-empty');

    await nav(page, 'Libraries').click();
    await page.getByLabel('Folder on the server').fill(root);
    await page.getByLabel('Name (optional)', { exact: true }).fill('Family');
    await page.getByRole('button', { name: 'Add and scan' }).click();
    // The job's progress is shown until it finishes (a progress bar, then its outcome).
    await page.locator('.add-library [role=progressbar], .add-library .ok-box').first().waitFor();
    await shot(page, '03-scan-progress');
    await page.getByText('Scan finished').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.locator('[data-library]').count()).toBe(1);
  });

  it('shows the photos in the timeline with day headers', async () => {
    await nav(page, 'Photos').click();
    await expect.poll(() => page.locator('.tl-card').count(), { timeout: 30_000 }).toBe(7);
    expect(await page.locator('.tl-header').count()).toBeGreaterThanOrEqual(3);
    await shot(page, '04-timeline');
    await page.locator('.tl-card').first().click();
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByText('2 / 7').waitFor();
    // The grid holds only what it draws: the viewer loads the whole asset for its details.
    await page.locator('.meta-panel dt', { hasText: 'Size' }).waitFor();
    await shot(page, '05-viewer');
    await page.keyboard.press('Escape');
  });

  it('triage lists the exact duplicate, review removes the copy to trash on disk, and restore puts it back', async () => {
    await nav(page, 'Triage').click();
    const card = page.locator('[data-category=exact-duplicates]');
    // Duplicate analysis runs after the scan; reload until the category counts the group.
    await expect
      .poll(
        async () => {
          await page.reload();
          await card.waitFor({ timeout: 10_000 }).catch(() => undefined);
          return (
            await card
              .locator('.triage-count')
              .textContent()
              .catch(() => '0')
          )?.trim();
        },
        { timeout: 60_000, interval: 1000 },
      )
      .not.toBe('0');
    await shot(page, '06-triage');

    await card.click();
    await page.locator('[data-group]').first().click();
    await page.locator('figure.pane').nth(1).waitFor();
    const groupId = page.url().split('/duplicates/')[1]!.split('?')[0]!;
    const detail = (await (
      await page.request.get(`${server.baseUrl}/api/duplicates/${groupId}`)
    ).json()) as DetailJson;
    expect(detail.members).toHaveLength(2);
    const removed = detail.members.find((m) => !m.isKeeper)!.asset.path;
    const keeper = detail.members.find((m) => m.isKeeper)!.asset.path;
    const digest = await sha256(removed);
    await shot(page, '07-compare');

    // Keyboard review: Enter asks to confirm, Enter again removes the unmarked copy.
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /Confirm: move 1 copy/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('Removed copies were moved to Trash').waitFor({ timeout: 60_000 });
    expect(await exists(removed)).toBe(false);
    const trashed = [
      ...(await findByHash(root, digest)),
      ...(await findByHash(server.dataDir, digest)),
    ].filter((f) => f !== keeper);
    expect(trashed).toHaveLength(1);

    await nav(page, 'Trash').click();
    const row = page.locator('.trash-row', { hasText: removed });
    await row.waitFor();
    await shot(page, '08-trash');
    await row.getByRole('button', { name: 'Restore' }).click();
    await page.getByText(`Restored to ${removed}`).waitFor();
    expect(await sha256(removed)).toBe(digest);
    await page.getByText('Trash is empty').waitFor();
  });

  it('lists jobs and the audit log of what was done', async () => {
    await nav(page, 'Jobs').click();
    await page.locator('[data-job]').first().waitFor();
    await shot(page, '09-jobs');
    await nav(page, 'Audit log').click();
    await page.locator('.jobs-table tbody tr').first().waitFor();
    await shot(page, '10-audit');
  });

  it('the admin changes a detection threshold in Settings and sees it saved', async () => {
    await nav(page, 'Settings').click();
    await page.getByRole('heading', { name: 'Detection and schedules' }).waitFor();
    const setting = page.locator('[data-key="DUPLICATE_THRESHOLD"]');
    expect(await setting.getAttribute('data-source')).toBe('environment');
    await page.getByRole('spinbutton', { name: 'Duplicate threshold' }).fill('101');
    await setting.getByText('Enter a value from 50 to 100.').waitFor();
    expect(await page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    await page.getByRole('spinbutton', { name: 'Duplicate threshold' }).fill('97');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await setting.getByText('changed').waitFor();
    expect(await setting.getAttribute('data-source')).toBe('stored');
    await page.getByText('Similar-shot threshold').scrollIntoViewIfNeeded();
    await shot(page, '10a-settings');
    const res = await page.request.get(`${server.baseUrl}/api/settings`);
    const items = ((await res.json()) as { items: { key: string; value: unknown; source: string }[] }).items;
    expect(items.find((i) => i.key === 'DUPLICATE_THRESHOLD')).toMatchObject({ value: 97, source: 'stored' });
    // The change is in the audit log, with who made it.
    await nav(page, 'Audit log').click();
    await page.getByText('setting:DUPLICATE_THRESHOLD').first().waitFor();
  });

  it('a second user does not see the first user’s library', async () => {
    await nav(page, 'Users').click();
    await page.getByLabel('Name').fill(bob.name);
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Initial password').fill(bob.password);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: bob.email }).waitFor();
    await shot(page, '11-users');
    const adminLibraries = (await (await page.request.get(`${server.baseUrl}/api/libraries`)).json()) as {
      items: { id: string }[];
    };

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to photo-sync' }).waitFor();
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Password').fill(bob.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No photos yet').waitFor();
    await shot(page, '12-second-user');
    await nav(page, 'Libraries').click();
    await page.getByText('No library yet').waitFor();
    expect(await nav(page, 'Users').count()).toBe(0);

    const libs = await page.request.get(`${server.baseUrl}/api/libraries`);
    expect(((await libs.json()) as { items: unknown[] }).items).toEqual([]);
    const other = await page.request.get(`${server.baseUrl}/api/libraries/${adminLibraries.items[0]!.id}`);
    expect(other.status()).toBe(404);
  });

  it('fits a phone screen', async () => {
    const phone = await browser!.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.baseUrl}/settings`);
    await phone.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await phone.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
      true,
    );
    await shot(phone, '13-phone-settings');
    await phone.close();
  });
});
