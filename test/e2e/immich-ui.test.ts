import { Permission } from '@immich/sdk';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium, type BrowserSession } from '../support/browser.js';
import { FakeImmich } from '../support/fake-immich.js';
import { makeJpeg } from '../support/images.js';
import { startFreshServer, type FreshServer } from '../support/web-server.js';

if (chromiumMissingReason) console.warn(`[immich-ui e2e] skipped: ${chromiumMissingReason}`);

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

describe.skipIf(chromiumMissingReason !== null)('Libraries → Connect Immich in Chromium', () => {
  let server: FreshServer | undefined;
  let browser: BrowserSession | undefined;
  let immich: FakeImmich;
  let page: Page;
  let originalId = '';

  beforeAll(async () => {
    immich = new FakeImmich({
      permissions: [Permission.AssetRead, Permission.AssetView, Permission.StackCreate],
    });
    await immich.start();
    // An original and its edit beside it: one version stack to write back.
    const base = await makeJpeg({
      seed: 71,
      dateTimeOriginal: '2025:03:01 10:00:00',
      make: 'Canon',
      model: 'EOS R6',
    });
    originalId = (await immich.addPhoto(base, '/photos/IMG_0100.JPG')).id;
    const edit = await sharp(base).modulate({ brightness: 1.08 }).jpeg().toBuffer();
    await immich.addPhoto(edit, '/photos/IMG_0100-edited.jpg');
    server = await startFreshServer();
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await immich.stop();
  });

  it('connects with the key, lists the missing permissions, writes a stack to Immich and undoes it', async () => {
    if (!server) throw new Error('no server');
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Welcome to photo-sync' }).waitFor();
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel(/^Password/).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByText('No photos yet').waitFor();

    await nav(page, 'Libraries').click();
    await page.getByLabel('Immich URL').fill(immich.url);
    await page.getByLabel(/^API key/).fill('wrong-key');
    await page.getByRole('button', { name: 'Check and connect' }).click();
    await page.getByText(/refused the API key/).waitFor();

    await page.getByLabel(/^API key/).fill(immich.apiKey);
    await page.getByRole('button', { name: 'Check and connect' }).click();
    await page.getByText('Connected to Immich 3.2.2.').waitFor();
    await page.locator('.connect-immich').getByText('asset.update').waitFor();
    await page.getByText('Immich read: open Triage').waitFor({ timeout: 120_000 });
    // The key is never shown back.
    expect(await page.content()).not.toContain(immich.apiKey);

    immich.permissions = [Permission.All];
    const card = page.locator('[data-library]');
    await card.getByRole('button', { name: 'Write to Immich' }).click();
    await card.getByText('Written to Immich').waitFor({ timeout: 60_000 });
    expect([...immich.stacks.values()].map((s) => s.primaryAssetId)).toEqual([originalId]);
    await card.getByRole('button', { name: 'Show results' }).click();
    await card.getByText(/stack .*\(2 photos\): applied/).waitFor();
    await card.getByRole('button', { name: 'Undo this write' }).click();
    await card.getByText('Undone: 1').waitFor();
    expect(immich.stacks.size).toBe(0);
  });

  it('Triage → Auto-fix all green writes the version stack to Immich', async () => {
    await nav(page, 'Triage').click();
    await page.getByRole('button', { name: 'Auto-fix all green' }).click();
    await page.getByRole('button', { name: 'Fix 1 item' }).click();
    await page.getByText(/Stacks and albums are being written to Immich \(1 job in Jobs/).waitFor();
    await expect.poll(() => [...immich.stacks.values()].map((s) => s.primaryAssetId)).toEqual([originalId]);

    // The library's card lists that write too, and undoes it.
    await nav(page, 'Libraries').click();
    const card = page.locator('[data-library]');
    await card.getByText(/Recent writes to Immich/).click();
    await card.getByText(/stack: 1 applied/).waitFor();
    await card.getByRole('button', { name: 'Undo', exact: true }).click();
    // Both writes (the push above and this one) now read undone.
    await expect.poll(() => card.getByText(/stack: 1 undone/).count()).toBe(2);
    expect(immich.stacks.size).toBe(0);
  });
});
