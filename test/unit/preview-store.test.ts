import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreviewStore } from '../../src/fs/preview-store.js';

const id = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

describe('PreviewStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-previews-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads back what it wrote and replaces the rendition of an older version', async () => {
    const store = new PreviewStore(dir, 1024 * 1024);
    await store.write({ assetId: id(1), size: 1920, version: 'aaa' }, Buffer.from('old'));
    await store.write({ assetId: id(1), size: 1920, version: 'bbb' }, Buffer.from('new'));
    expect(await store.read({ assetId: id(1), size: 1920, version: 'aaa' })).toBeNull();
    expect((await store.read({ assetId: id(1), size: 1920, version: 'bbb' }))?.toString()).toBe('new');
    expect(await store.countBytes()).toBe(3);
  });

  it('never builds a path from anything but an asset id, a size and a hex-like version', () => {
    const store = new PreviewStore(dir, 1024);
    expect(() => store.pathFor({ assetId: '../../etc/passwd', size: 1920, version: 'a' })).toThrow();
    expect(() => store.pathFor({ assetId: id(1), size: 1920, version: '../x' })).toThrow();
    expect(() => store.pathFor({ assetId: id(1), size: -1, version: 'a' })).toThrow();
  });

  it('evicts the least recently served previews beyond its cap', async () => {
    const store = new PreviewStore(dir, 2500);
    const kb = Buffer.alloc(1000, 1);
    await store.write({ assetId: id(1), size: 1920, version: 'a' }, kb);
    await store.write({ assetId: id(2), size: 1920, version: 'a' }, kb);
    // Served long ago vs. just now: the first is the least recently used.
    const old = new Date(Date.now() - 3_600_000);
    await fs.utimes(store.pathFor({ assetId: id(2), size: 1920, version: 'a' }), old, old);
    expect(await store.read({ assetId: id(1), size: 1920, version: 'a' })).not.toBeNull();
    await store.write({ assetId: id(3), size: 1920, version: 'a' }, kb);
    expect(await store.read({ assetId: id(2), size: 1920, version: 'a' })).toBeNull();
    expect(await store.read({ assetId: id(1), size: 1920, version: 'a' })).not.toBeNull();
    expect(await store.read({ assetId: id(3), size: 1920, version: 'a' })).not.toBeNull();
    expect(await store.countBytes()).toBeLessThanOrEqual(2500);
  });
});
