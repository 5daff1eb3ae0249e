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
import { scene, writeFileDeep } from '../support/images.js';
import { makeTempDir } from '../support/test-app.js';
import { startFreshServer, type FreshServer } from '../support/web-server.js';

if (chromiumMissingReason) console.warn(`[web-ui-explore e2e] skipped: ${chromiumMissingReason}`);

/**
 * Issue 18, part B, walked as a user in Chromium against the real server (no ffmpeg on the PATH):
 * failed files named in Jobs and listed in Problems, the duplicates list without ffmpeg, the
 * timeline filter bar, the map, an administrator's password reset and role change (sessions end,
 * audited), and a viewer who is offered no destructive button and is refused by the server.
 */

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: false });
}

/** EXIF rational degrees/minutes/seconds of a decimal coordinate. */
function dms(value: number): string {
  const v = Math.abs(value);
  const d = Math.floor(v);
  const m = Math.floor((v - d) * 60);
  const s = Math.round(((v - d) * 60 - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
}

interface Shot {
  file: string;
  seed: number;
  date: string;
  make: string;
  model: string;
  gps?: [number, number];
  dark?: boolean;
}

async function photo(s: Shot): Promise<Buffer> {
  let img = scene(s.seed, 800, 600);
  if (s.dark) img = img.modulate({ brightness: 0.03 });
  return img
    .withExif({
      IFD0: { Make: s.make, Model: s.model },
      IFD2: { DateTimeOriginal: s.date },
      ...(s.gps
        ? {
            IFD3: {
              GPSLatitudeRef: s.gps[0] >= 0 ? 'N' : 'S',
              GPSLatitude: dms(s.gps[0]),
              GPSLongitudeRef: s.gps[1] >= 0 ? 'E' : 'W',
              GPSLongitude: dms(s.gps[1]),
            },
          }
        : {}),
    })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** An MP4's first bytes (an ftyp box, then media data): a video this server cannot decode without ffmpeg. */
function fakeMp4(seed: number): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(512, 12);
  ftyp.write('isomiso2', 16, 'latin1');
  const body = Buffer.alloc(4096, seed);
  body.writeUInt32BE(4096, 0);
  body.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, body]);
}

const canon = { make: 'Canon', model: 'Canon EOS R6' };
const fuji = { make: 'FUJIFILM', model: 'X-T5' };
const rome: [number, number] = [41.8902, 12.4922];
const shots: Shot[] = [
  { file: 'trips/rome/R1.JPG', seed: 11, date: '2025:06:01 10:00:00', ...canon, gps: rome },
  { file: 'trips/rome/R2.JPG', seed: 12, date: '2025:06:01 11:00:00', ...canon, gps: [41.9009, 12.4833] },
  { file: 'trips/rome/R3.JPG', seed: 13, date: '2025:06:02 09:00:00', ...canon, gps: [41.8986, 12.4769] },
  { file: 'trips/florence/F1.JPG', seed: 14, date: '2025:06:05 12:00:00', ...canon, gps: [43.7731, 11.256] },
  { file: 'trips/tokyo/T1.JPG', seed: 15, date: '2024:11:10 08:00:00', ...fuji, gps: [35.6595, 139.7005] },
  { file: 'home/H1.JPG', seed: 16, date: '2024:03:05 18:00:00', ...fuji },
  { file: 'home/DARK.JPG', seed: 17, date: '2024:03:06 22:00:00', ...canon, dark: true },
];
/** Timeline items: the seven photos and two copies of one video. */
const TIMELINE_ITEMS = 9;

describe.skipIf(chromiumMissingReason !== null)('web UI explore views and admin tools (issue 18 B)', () => {
  let server: FreshServer;
  let browser: BrowserSession | undefined;
  let started: FreshServer | undefined;
  let page: Page;
  let root: string;
  let libraryId: string;
  const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery' };
  const bob = { name: 'Bob', email: 'bob@example.com', password: 'bob first secret' };
  const carol = { name: 'Carol', email: 'carol@example.com', password: 'carol views only' };

  const api = (p: string) => `${server.baseUrl}${p}`;
  const json = async <T>(p: string): Promise<T> => (await (await page.request.get(api(p))).json()) as T;

  beforeAll(async () => {
    await fs.mkdir(artifactsDir, { recursive: true });
    root = await makeTempDir('web-explore');
    for (const s of shots) await writeFileDeep(path.join(root, s.file), await photo(s));
    await writeFileDeep(path.join(root, 'clips/clip.mp4'), fakeMp4(7));
    await writeFileDeep(path.join(root, 'clips/copy/clip.mp4'), fakeMp4(7));
    await writeFileDeep(path.join(root, 'broken/notes.jpg'), 'this is a text file, not a photo\n');
    await writeFileDeep(path.join(root, 'broken/empty.jpg'), Buffer.alloc(0));
    server = started = await startFreshServer({ withoutFfmpeg: true });
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await started?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('sets up: the admin signs up and a library is scanned', async () => {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Welcome to photo-sync' }).waitFor();
    await page.getByLabel('Name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.getByText('No photos yet').waitFor();
    const res = await page.request.post(api('/api/libraries'), { data: { name: 'Trips', roots: [root] } });
    expect(res.status()).toBe(201);
    libraryId = ((await res.json()) as { id: string }).id;
    // Scan, then duplicate analysis and insights (quality labels) run as jobs: wait for them all.
    await expect
      .poll(
        async () => {
          const jobs = await json<{ items: { type: string; status: string }[] }>('/api/jobs?limit=100');
          const busy = jobs.items.some((j) => ['queued', 'running', 'waiting'].includes(j.status));
          const groups = await json<{ items: unknown[] }>('/api/duplicates?sort=newest');
          return !busy && groups.items.length > 0;
        },
        { timeout: 120_000, interval: 1000 },
      )
      .toBe(true);
  });

  it('Jobs names the files a scan failed on and why; Problems lists every unreadable file with path and reason', async () => {
    await nav(page, 'Jobs').click();
    // The scan and its ingest batch both list them: one is enough.
    const notes = page.locator(`[data-failed-path="${path.join(root, 'broken/notes.jpg')}"]`).first();
    const empty = page.locator(`[data-failed-path="${path.join(root, 'broken/empty.jpg')}"]`).first();
    await notes.waitFor({ timeout: 30_000 });
    await empty.waitFor();
    expect(await notes.locator('.failure-reason').textContent()).toMatch(/\w{6,}/);
    expect(await empty.locator('.failure-reason').textContent()).toMatch(/empty/i);
    await shot(page, 'b-01-jobs-failed-files');

    await nav(page, 'Problems').click();
    await page.getByRole('heading', { name: 'Problems' }).waitFor();
    for (const f of ['broken/notes.jpg', 'broken/empty.jpg']) {
      const row = page.locator(`tr[data-path="${path.join(root, f)}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('not indexed');
    }
    // The two videos were indexed without ffmpeg: listed too, with what to do.
    await page.locator(`tr[data-problem="needs-ffmpeg"]`).first().waitFor();
    await shot(page, 'b-02-problems');
  });

  it('without ffmpeg the duplicates list shows a video placeholder, not a broken image, and tells the admin to install ffmpeg', async () => {
    const caps = await json<{ ffmpeg: boolean | null; videosNeedingFfmpeg: number }>('/api/capabilities');
    expect(caps).toEqual({ ffmpeg: false, videosNeedingFfmpeg: 2 });
    await nav(page, 'Duplicates').click();
    await page.locator('[data-group]').first().waitFor();
    const notice = page.locator('[data-notice="ffmpeg"]');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Install ffmpeg/);
    await page.locator('[data-group] [data-placeholder="video"]').first().waitFor();
    // No image in the list failed to load.
    const broken = await page.locator('.group-list img').evaluateAll(
      (imgs) =>
        imgs.filter((i) => {
          const img = i as unknown as { complete: boolean; naturalWidth: number };
          return img.complete && img.naturalWidth === 0;
        }).length,
    );
    expect(broken).toBe(0);
    await shot(page, 'b-03-duplicates-no-ffmpeg');
  });

  it('filters the timeline by camera, kind, date range, folder and quality label', async () => {
    await nav(page, 'Photos').click();
    const cards = page.locator('.tl-card');
    // The grid draws only the months near the viewport: the header counts the whole timeline.
    const total = page.locator('.page-header .muted').first();
    await expect.poll(() => total.textContent(), { timeout: 30_000 }).toMatch(`${TIMELINE_ITEMS} items`);
    await page.getByRole('button', { name: /^Filter/ }).click();
    const bar = page.getByRole('region', { name: 'Filter photos' });

    await bar.getByLabel('Camera').selectOption('X-T5');
    await expect.poll(() => cards.count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('camera')).toBe('X-T5');
    await bar.getByLabel('Camera').selectOption('');

    await bar.getByLabel('Kind').selectOption('video');
    await expect.poll(() => cards.count()).toBe(2);
    await bar.getByLabel('Kind').selectOption('');

    await bar.getByLabel('From', { exact: true }).fill('2025-06-01');
    await bar.getByLabel('To', { exact: true }).fill('2025-06-02');
    await expect.poll(() => cards.count()).toBe(3);
    await shot(page, 'b-04-timeline-filtered');
    await bar.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => total.textContent()).toMatch(`${TIMELINE_ITEMS} items`);

    // The bar stays open after "Clear filters".
    const folder = page.getByRole('region', { name: 'Filter photos' }).getByLabel('Folder');
    await folder.fill(path.join(root, 'trips'));
    await folder.press('Enter');
    await expect.poll(() => cards.count()).toBe(5);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => total.textContent()).toMatch(`${TIMELINE_ITEMS} items`);

    // The bar stays open after "Clear filters".
    await page.getByRole('region', { name: 'Filter photos' }).getByLabel('Quality').selectOption('too dark');
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().getAttribute('aria-label')).toContain('DARK.JPG');
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('shows geotagged photos on a tile-less map whose clusters split when zooming; a cluster opens its photos', async () => {
    await nav(page, 'Map').click();
    const clusterCounts = async () => {
      const clusters = await page.locator('[data-cluster]').all();
      const counts = await Promise.all(clusters.map((c) => c.getAttribute('data-cluster')));
      return counts.map(Number).sort((a, b) => a - b);
    };
    await expect.poll(clusterCounts, { timeout: 20_000 }).toEqual([1, 4]);
    await shot(page, 'b-05-map-world');
    // Rome and Florence share a cell until zoom 4, where Rome's three split from Florence.
    await page.locator('[data-cluster="4"]').click();
    await page.locator('svg[data-zoom="2"]').waitFor();
    await expect.poll(clusterCounts).toContain(4);
    await page.locator('[data-cluster="4"]').click();
    await page.locator('svg[data-zoom="4"]').waitFor();
    await expect.poll(clusterCounts).toEqual([1, 3]);
    await page.locator('[data-cluster="3"]').click();
    const photos = page.getByRole('complementary', { name: 'Photos here' }).locator('[data-map-photo]');
    await expect.poll(() => photos.count()).toBe(3);
    await shot(page, 'b-06-map-split');
    await photos.first().click();
    const dialog = page.getByRole('dialog', { name: 'Photo on the map' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(path.join(root, 'trips/rome'));
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('an administrator resets a password (the user’s sessions end) and changes a role (it applies at once); the audit log records both', async () => {
    await nav(page, 'Users').click();
    await page.getByLabel('Name').fill(bob.name);
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Initial password').fill(bob.password);
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('row', { name: new RegExp(bob.email) });
    await row.waitFor();

    // Bob is signed in elsewhere (his own client, by bearer token).
    const login = async (password: string) =>
      fetch(api('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: bob.email, password }),
      });
    const me = (token: string) =>
      fetch(api('/api/users/me'), { headers: { authorization: `Bearer ${token}` } });
    const first = (await (await login(bob.password)).json()) as { accessToken: string };
    expect((await me(first.accessToken)).status).toBe(200);

    await row.getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog', { name: /Reset the password of/ });
    await dialog.getByLabel('New password').fill('bob second secret');
    await shot(page, 'b-07-users-reset');
    await dialog.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText(`New password set for ${bob.email}`).waitFor();
    expect((await me(first.accessToken)).status).toBe(401);
    expect((await login(bob.password)).status).toBe(401);
    const second = (await (await login('bob second secret')).json()) as { accessToken: string };
    expect((await me(second.accessToken)).status).toBe(200);

    await row.getByLabel(`Role of ${bob.email}`).selectOption('admin');
    await page.getByText(`${bob.email} is now an administrator`).waitFor();
    // His session stays and carries the new role on its next request.
    const after = await me(second.accessToken);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { role: string }).role).toBe('admin');
    const users = await json<{ items: { email: string; role: string }[] }>('/api/users');
    expect(users.items.find((u) => u.email === bob.email)?.role).toBe('admin');

    await nav(page, 'Audit log').click();
    for (const action of ['library.created', 'user.password-reset', 'user.role-changed'])
      await page.getByRole('cell', { name: action, exact: true }).first().waitFor();
    await shot(page, 'b-08-audit');
  });

  it('a viewer of a shared library is offered no destructive button (trash, triage, jobs, compare, bursts, viewer), and the server refuses with 403', async () => {
    const created = await page.request.post(api('/api/users'), {
      data: { ...carol, role: 'user' },
    });
    const carolId = ((await created.json()) as { id: string }).id;
    const shared = await page.request.put(api(`/api/libraries/${libraryId}/shares/${carolId}`), {
      data: { role: 'viewer' },
    });
    expect(shared.status()).toBe(204);
    const groupId = (await json<{ items: { id: string }[] }>('/api/duplicates?sort=newest')).items[0]!.id;

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(carol.email);
    await page.getByLabel('Password').fill(carol.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.tl-card').first().waitFor({ timeout: 30_000 });

    await nav(page, 'Trash').click();
    await page.locator('[data-read-only]').waitFor();
    expect(await page.getByRole('button', { name: 'Empty trash' }).count()).toBe(0);
    await shot(page, 'b-09-viewer-trash');

    await nav(page, 'Triage').click();
    await page.locator('[data-read-only]').waitFor();
    expect(await page.getByRole('button', { name: 'Auto-fix all green' }).count()).toBe(0);

    await nav(page, 'Jobs').click();
    await page.locator('[data-failed-path]').first().waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);

    await page.goto(`${server.baseUrl}/duplicates/${groupId}`);
    await page.locator('[data-read-only]').waitFor();
    expect(await page.getByRole('button', { name: 'Keep marked, remove others' }).isVisible()).toBe(false);

    await nav(page, 'Bursts').click();
    await page.getByRole('heading', { name: 'Bursts', exact: true }).waitFor();
    await page.locator('[data-read-only]').waitFor();
    expect(await page.getByRole('button', { name: /^Keep (best|all)/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: /^Keep frame/ }).count()).toBe(0);

    // The viewer: favourite and download stay (per-user, and a viewer may read originals); delete goes.
    await nav(page, 'Photos').click();
    await page.locator('.tl-card').first().click();
    const viewer = page.getByRole('dialog', { name: 'Photo viewer' });
    await viewer.getByRole('link', { name: 'Download' }).waitFor();
    await viewer.getByRole('button', { name: /favourites/ }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Set as primary' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    // And the server says no instead of accepting work it will not do.
    const anAsset = (await json<{ items: { id: string }[] }>('/api/assets?limit=1')).items[0]!.id;
    const remove = await page.request.post(api('/api/actions'), {
      data: { items: [{ kind: 'remove', assetId: anAsset }] },
    });
    expect(remove.status()).toBe(403);
    const purge = await page.request.post(api('/api/trash/purge'), { data: {} });
    expect(purge.status()).toBe(403);
    expect(((await purge.json()) as { detail: string }).detail).toMatch(/owner/);
  });

  it('the new views fit a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseUrl}/problems`);
    await page.getByRole('heading', { name: 'Problems' }).waitFor();
    await page.locator('tr[data-path]').first().waitFor();
    await shot(page, 'b-10-problems-phone');
    await page.goto(`${server.baseUrl}/map`);
    await page.locator('[data-cluster]').first().waitFor();
    await shot(page, 'b-11-map-phone');
    const overflow = await page.evaluate<boolean>(
      'document.documentElement.scrollWidth > window.innerWidth + 1',
    );
    expect(overflow).toBe(false);
  });
});
