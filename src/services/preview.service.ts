import path from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AssetRepository, AssetRow } from '../db/repositories/asset.repository.js';
import type { LibraryRepository } from '../db/repositories/library.repository.js';
import { NotFoundError, OriginalUnavailableError, ServiceUnavailableError } from '../errors.js';
import { isDiskFull } from '../fs/disk-full.js';
import type { DiskGate } from '../fs/disk-space-monitor.js';
import type { PreviewKey, PreviewStore } from '../fs/preview-store.js';
import { rootOf } from '../fs/trash-store.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

/** Long edges a client may ask for: few, so the cache holds few renditions per asset. */
export const PREVIEW_SIZES = [1280, 1920, 2560] as const;
export type PreviewSize = (typeof PREVIEW_SIZES)[number];
export const DEFAULT_PREVIEW_SIZE: PreviewSize = 1920;

/** Why an original gave no preview: unreadable file, no picture in it, or no image library here. */
export interface RenderFailure {
  failure: 'unreadable' | 'no-picture' | 'no-media-support';
  message: string;
}

/**
 * Renders the preview of one original (src/media/render-preview.ts, loaded where media can be
 * read). Expected failures are answered, not thrown; anything thrown is an unexpected error.
 */
export type PreviewRenderer = (
  absPath: string,
  request: { longEdge: number; orientation: number | null; durationSeconds: number | null },
) => Promise<{ webp: Buffer } | RenderFailure>;

export interface Preview {
  /** Strong validator: same asset content and size → same bytes. */
  etag: string;
  /** The WebP, from the store or rendered now (once, however many ask at the same time). */
  load: () => Promise<Buffer>;
}

/**
 * Display-size previews of originals, for the viewer and the side-by-side compare. Rendered on
 * demand and kept in the preview store; concurrent requests for one rendition share one render,
 * and at most `concurrency` renders run at once (each holds a decoded picture in memory).
 */
export class PreviewService {
  private readonly inflight = new Map<string, Promise<Buffer>>();
  private readonly limit: LimitFunction;

  constructor(
    private readonly assets: AssetRepository,
    private readonly libraries: LibraryRepository,
    private readonly access: LibraryAccess,
    private readonly store: PreviewStore,
    private readonly render: PreviewRenderer,
    concurrency: number,
    /** Previews of assets another system holds (Immich): its rendition as WebP, null when it is gone. */
    private readonly remote: ((asset: AssetRow, longEdge: number) => Promise<Buffer | null>) | null = null,
    /** Told when the cache cannot keep a rendition for want of space (the preview is served anyway). */
    private readonly disk: Pick<DiskGate, 'reportFailure'> | null = null,
  ) {
    this.limit = pLimit(concurrency);
  }

  /** Checks access and names the rendition; nothing is read or rendered until `load` is called. */
  async preview(who: Principal, id: string, size: PreviewSize): Promise<Preview> {
    const asset = await this.assets.findById(id);
    if (!asset) throw new NotFoundError(`Asset ${id} not found`);
    await this.access.require(who, asset.library_id, 'viewer', `Asset ${id}`);
    if (asset.status !== 'ready') {
      const why =
        asset.status === 'missing' ? 'its file is missing from the library' : `it is ${asset.status}`;
      throw new OriginalUnavailableError(`Asset ${id} has no preview: ${why}.`);
    }
    const key: PreviewKey = { assetId: asset.id, size, version: versionOf(asset) };
    return { etag: `"${key.version}-${size}"`, load: () => this.load(asset, key) };
  }

  private async load(asset: AssetRow, key: PreviewKey): Promise<Buffer> {
    const cached = await this.store.read(key);
    if (cached) return cached;
    const name = `${key.assetId}-${key.size}-${key.version}`;
    let pending = this.inflight.get(name);
    if (!pending) {
      pending = this.limit(() => this.renderAndStore(asset, key)).finally(() => this.inflight.delete(name));
      this.inflight.set(name, pending);
    }
    return pending;
  }

  private async renderAndStore(asset: AssetRow, key: PreviewKey): Promise<Buffer> {
    // Another request may have finished this rendition while this one queued.
    const stored = await this.store.read(key);
    if (stored) return stored;
    if (asset.external_id !== null && this.remote) {
      const webp = await this.remote(asset, key.size);
      if (!webp)
        throw new OriginalUnavailableError(
          `No preview of ${path.basename(asset.path)}: Immich no longer has it.`,
        );
      await this.keep(key, webp);
      return webp;
    }
    const absPath = await this.originalPath(asset);
    const rendered = await this.render(absPath, {
      longEdge: key.size,
      orientation: asset.orientation,
      durationSeconds: asset.duration_seconds,
    });
    if ('failure' in rendered) {
      if (rendered.failure === 'no-media-support') throw new ServiceUnavailableError(rendered.message);
      throw new OriginalUnavailableError(`No preview of ${path.basename(asset.path)}: ${rendered.message}`);
    }
    await this.keep(key, rendered.webp);
    return rendered.webp;
  }

  /** Caches a rendition; on a full disk the viewer still gets it, only the cache goes without. */
  private async keep(key: PreviewKey, webp: Buffer): Promise<void> {
    try {
      await this.store.write(key, webp);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      await this.disk?.reportFailure(err);
    }
  }

  /** The original's path, only if it is still inside one of its library's folders. */
  private async originalPath(asset: AssetRow): Promise<string> {
    const library = await this.libraries.findById(asset.library_id);
    const normalised = path.resolve(asset.path);
    if (!library || normalised !== asset.path || !rootOf(normalised, library.roots))
      throw new OriginalUnavailableError(
        `No preview of ${path.basename(asset.path)}: the file is not inside its library's folders any more.`,
      );
    return normalised;
  }
}

/** Changes with the original's content: its hash when known, else its size and modification time. */
function versionOf(asset: AssetRow): string {
  if (asset.sha256) return asset.sha256.slice(0, 16);
  return `${asset.size_bytes.toString(36)}z${Math.round(asset.mtime_ms).toString(36)}`;
}
