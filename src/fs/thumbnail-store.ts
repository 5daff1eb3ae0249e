import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Thumbnails on disk under `<dataDir>/thumbs/ab/<asset id>.webp`. Keyed by asset id (a UUID we
 * generate), so no user-supplied string ever becomes part of a path here.
 */
export class ThumbnailStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'thumbs');
  }

  pathFor(assetId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(assetId)) throw new Error(`Not an asset id: ${assetId}`);
    return path.join(this.root, assetId.slice(0, 2), `${assetId}.webp`);
  }

  /** Written to a temporary name then renamed, so a crash never leaves half a thumbnail. */
  async write(assetId: string, webp: Buffer): Promise<void> {
    const target = this.pathFor(assetId);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, webp);
    await fs.rename(tmp, target);
  }

  async read(assetId: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathFor(assetId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(assetId: string): Promise<void> {
    await fs.rm(this.pathFor(assetId), { force: true });
  }
}
