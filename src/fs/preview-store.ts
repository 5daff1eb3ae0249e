import fs from 'node:fs/promises';
import path from 'node:path';
import { makeDirectory } from './disk-full.js';
import { writeAtomically } from './write-atomically.js';

/** What identifies one rendition: the asset, its long edge, and the content it was made from. */
export interface PreviewKey {
  assetId: string;
  size: number;
  /** Changes when the original's bytes change (a prefix of its SHA-256), so a stale file is never served. */
  version: string;
}

/**
 * Display-size previews on disk under `<dataDir>/previews/ab/<asset id>-<size>-<version>.webp`,
 * beside the thumbnails. Every part of the name is checked against a strict pattern, so no
 * user-supplied string becomes part of a path. Previews are a cache: the store keeps at most
 * `capBytes` and evicts the least recently served files first (each hit refreshes the file's mtime).
 */
export class PreviewStore {
  private readonly root: string;
  /** Bytes on disk as far as this process knows; null until the first write counts them. */
  private knownBytes: number | null = null;
  private evicting: Promise<void> | null = null;

  constructor(
    dataDir: string,
    private readonly capBytes: number,
  ) {
    this.root = path.join(dataDir, 'previews');
  }

  pathFor(key: PreviewKey): string {
    if (!/^[0-9a-f-]{36}$/.test(key.assetId)) throw new Error(`Not an asset id: ${key.assetId}`);
    if (!Number.isInteger(key.size) || key.size <= 0) throw new Error(`Not a preview size: ${key.size}`);
    if (!/^[0-9a-z]{1,64}$/.test(key.version)) throw new Error(`Not a preview version: ${key.version}`);
    return path.join(this.root, key.assetId.slice(0, 2), `${key.assetId}-${key.size}-${key.version}.webp`);
  }

  async read(key: PreviewKey): Promise<Buffer | null> {
    const file = this.pathFor(key);
    try {
      const data = await fs.readFile(file);
      const now = new Date();
      // Recency for eviction; a failure here only makes the file look older.
      await fs.utimes(file, now, now).catch(() => undefined);
      return data;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /**
   * Written to a temporary name then renamed, so a reader never sees half a file; renditions of
   * older versions of the same asset and size are removed, then the store is trimmed to its cap.
   */
  async write(key: PreviewKey, webp: Buffer): Promise<void> {
    const target = this.pathFor(key);
    const dir = path.dirname(target);
    await makeDirectory(dir);
    await writeAtomically(target, webp);
    const stalePrefix = `${key.assetId}-${key.size}-`;
    for (const name of await fs.readdir(dir)) {
      if (name.startsWith(stalePrefix) && name.endsWith('.webp') && path.join(dir, name) !== target)
        await fs.rm(path.join(dir, name), { force: true });
    }
    if (this.knownBytes === null) this.knownBytes = await this.countBytes();
    else this.knownBytes += webp.length;
    if (this.knownBytes > this.capBytes) await this.evict();
  }

  /** Total size of the stored previews (walks the store: used once, then kept up to date). */
  async countBytes(): Promise<number> {
    return (await this.listFiles()).reduce((sum, f) => sum + f.size, 0);
  }

  /** Deletes least recently used previews until the store is at 90% of its cap; one run at a time. */
  private evict(): Promise<void> {
    this.evicting ??= (async () => {
      try {
        const files = (await this.listFiles()).sort((a, b) => a.mtimeMs - b.mtimeMs);
        let total = files.reduce((sum, f) => sum + f.size, 0);
        const goal = this.capBytes * 0.9;
        for (const f of files) {
          if (total <= goal) break;
          await fs.rm(f.path, { force: true });
          total -= f.size;
        }
        this.knownBytes = total;
      } finally {
        this.evicting = null;
      }
    })();
    return this.evicting;
  }

  private async listFiles(): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    let shards: string[];
    try {
      shards = await fs.readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    for (const shard of shards) {
      const dir = path.join(this.root, shard);
      for (const name of await fs.readdir(dir).catch(() => [])) {
        if (!name.endsWith('.webp')) continue;
        const file = path.join(dir, name);
        const stat = await fs.stat(file).catch(() => null);
        if (stat) out.push({ path: file, size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
    return out;
  }
}
