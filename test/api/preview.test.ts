import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../support/test-app.js';

interface ProblemJson {
  type: string;
  status: number;
  detail: string;
}

/** Red top half, blue bottom half, stored sideways: EXIF orientation 6 turns it 90° clockwise. */
async function sidewaysJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
    <rect width="1600" height="600" fill="#ff0000"/><rect y="600" width="1600" height="600" fill="#0000ff"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
}

async function pixel(webp: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(webp).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0];
}

describe('GET /api/assets/:id/preview', () => {
  let root: string;
  let t: TestApp;
  const ids = new Map<string, string>();
  const preview = (name: string, query = '', headers: Record<string, string> = {}) =>
    t.request<Buffer>('GET', `/api/assets/${ids.get(name) ?? ''}/preview${query}`, { headers });

  beforeAll(async () => {
    root = await makeTempDir('preview');
    await writeFileDeep(path.join(root, 'big.jpg'), await makeJpeg({ seed: 1, width: 3000, height: 2000 }));
    await writeFileDeep(path.join(root, 'sideways.jpg'), await sidewaysJpeg());
    await writeFileDeep(path.join(root, 'small.jpg'), await makeJpeg({ seed: 2, width: 800, height: 600 }));
    await writeFileDeep(
      path.join(root, 'cached.jpg'),
      await makeJpeg({ seed: 3, width: 2400, height: 1600 }),
    );
    await writeFileDeep(path.join(root, 'gone.jpg'), await makeJpeg({ seed: 4, width: 1000, height: 800 }));
    await writeFileDeep(path.join(root, 'busy.jpg'), await makeJpeg({ seed: 5, width: 2600, height: 1700 }));
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
    for (const a of (await t.get<Page<{ id: string; path: string }>>('/api/assets?limit=100')).body.items)
      ids.set(path.basename(a.path), a.id);
    expect(ids.size).toBe(6);
  });

  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is a WebP with the long edge asked for (1920 by default), never enlarged', async () => {
    const big = await preview('big.jpg');
    expect(big.status).toBe(200);
    expect(big.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(big.body).metadata()).toMatchObject({ format: 'webp', width: 1920, height: 1280 });
    const smaller = await preview('big.jpg', '?size=1280');
    expect(await sharp(smaller.body).metadata()).toMatchObject({ width: 1280, height: 853 });
    const small = await preview('small.jpg', '?size=2560');
    expect(await sharp(small.body).metadata()).toMatchObject({ width: 800, height: 600 });
    // Thumbnails are 250 px: the preview is the larger rendition the viewer needs.
    const thumb = await t.request<Buffer>('GET', `/api/assets/${ids.get('big.jpg') ?? ''}/thumbnail`);
    expect((await sharp(thumb.body).metadata()).width).toBeLessThan(1920);
  });

  it('applies the EXIF orientation', async () => {
    const res = await preview('sideways.jpg');
    const meta = await sharp(res.body).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: 1200, height: 1600 });
    expect(meta.orientation ?? 1).toBe(1);
    // Turned clockwise: the stored top (red) is now on the right, the bottom (blue) on the left.
    const [lr, , lb] = await pixel(res.body, 100, 800);
    const [rr, , rb] = await pixel(res.body, 1100, 800);
    expect(lb).toBeGreaterThan(200);
    expect(lr).toBeLessThan(60);
    expect(rr).toBeGreaterThan(200);
    expect(rb).toBeLessThan(60);
  });

  it('is kept in the preview store: served again without the original, and revalidated by ETag', async () => {
    const first = await preview('cached.jpg');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-z]+-1920"$/);
    expect(first.headers.get('cache-control')).toContain('private');
    const stored = await fs.readdir(
      path.join(t.dataDir, 'previews', (ids.get('cached.jpg') ?? '').slice(0, 2)),
    );
    expect(stored.filter((n) => n.startsWith(`${ids.get('cached.jpg') ?? ''}-1920-`))).toHaveLength(1);

    // With the original gone, only the store can answer.
    await fs.rm(path.join(root, 'cached.jpg'));
    const second = await preview('cached.jpg');
    expect(second.status).toBe(200);
    expect(Buffer.compare(second.body, first.body)).toBe(0);
    expect(second.headers.get('etag')).toBe(etag);

    const revalidated = await preview('cached.jpg', '', { 'if-none-match': etag ?? '' });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    const otherSize = await preview('cached.jpg', '?size=1280', { 'if-none-match': etag ?? '' });
    expect(otherSize.status).not.toBe(304);
  });

  it('renders once for concurrent requests of the same preview', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => preview('busy.jpg', '?size=2560')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const a of answers) expect(Buffer.compare(a.body, answers[0]?.body ?? Buffer.alloc(0))).toBe(0);
    const id = ids.get('busy.jpg') ?? '';
    const files = await fs.readdir(path.join(t.dataDir, 'previews', id.slice(0, 2)));
    expect(files.filter((n) => n.startsWith(id))).toHaveLength(1);
  });

  it('answers problem+json original-unavailable when the original is gone', async () => {
    await fs.rm(path.join(root, 'gone.jpg'));
    const res = await t.request<ProblemJson>('GET', `/api/assets/${ids.get('gone.jpg') ?? ''}/preview`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.type).toMatch(/original-unavailable$/);
    expect(res.body.detail).toContain('gone.jpg');
    expect(res.body.detail).toMatch(/gone|moved|deleted/);
  });

  it("hides another user's asset, refuses odd sizes and ids", async () => {
    const stranger = await t.createUser('stranger@example.com');
    const hidden = await t.request<ProblemJson>('GET', `/api/assets/${ids.get('big.jpg') ?? ''}/preview`, {
      as: stranger,
    });
    expect(hidden.status).toBe(404);
    expect(hidden.body.type).toMatch(/not-found$/);
    expect((await preview('big.jpg', '?size=999')).status).toBe(400);
    const traversal = await t.request<ProblemJson>('GET', '/api/assets/..%2F..%2Fetc%2Fpasswd/preview');
    expect(traversal.status).toBe(400);
  });
});
