import { PreviewStore } from '../fs/preview-store.js';
import type { Logger } from '../logger.js';
import { FileUnreadableError, PictureUnavailableError } from '../media/media-errors.js';
import { PreviewService, type PreviewRenderer } from '../services/preview.service.js';
import type { Core } from './core.js';

/**
 * The preview service of an API process. The renderer (sharp, libheif) is loaded on first use: the
 * split deployment's server image may lack the image libraries, and then previews answer 503 with
 * the reason while thumbnails keep working.
 */
export function createPreviewService(core: Core, log: Logger): PreviewService {
  const { config, repos, access } = core;
  let loading: Promise<typeof import('../media/render-preview.js') | null> | null = null;
  const loadRenderer = () =>
    (loading ??= import('../media/render-preview.js').catch((err: unknown) => {
      log.error({ err }, 'the image libraries cannot be loaded: previews are unavailable');
      return null;
    }));

  const render: PreviewRenderer = async (absPath, request) => {
    const media = await loadRenderer();
    if (!media)
      return {
        failure: 'no-media-support',
        message: 'This server process cannot decode images (the image libraries are not installed).',
      };
    try {
      return { webp: await media.renderPreview(absPath, { ...request, ffmpegPath: core.ffmpegPath }) };
    } catch (error) {
      if (error instanceof FileUnreadableError) {
        const message =
          error.code === 'ENOENT'
            ? 'the original file is gone (moved or deleted outside photo-sync); a rescan will notice'
            : error.message;
        return { failure: 'unreadable', message };
      }
      if (error instanceof PictureUnavailableError) return { failure: 'no-picture', message: error.message };
      throw error;
    }
  };
  return new PreviewService(
    repos.assets,
    repos.libraries,
    access,
    new PreviewStore(config.dataDir, config.preview.cacheBytes),
    render,
    config.preview.concurrency,
    // Immich assets: Immich's preview rendition, proxied (the API key stays on the server).
    async (asset, longEdge) => {
      const jpeg = await core.immich.rendition(asset.id, 'preview');
      if (!jpeg) return null;
      const { default: sharp } = await import('sharp');
      return sharp(jpeg)
        .resize({ width: longEdge, height: longEdge, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82, effort: 2 })
        .toBuffer();
    },
    core.disk,
  );
}
