import { basename } from 'node:path';
import sharp from 'sharp';
import { detectKind } from '../domain/detect-kind.js';
import { decodeEncoded, decodePicture, type PictureOutcome } from './decode-picture.js';
import { FileUnreadableError, PictureUnavailableError } from './media-errors.js';
import { openWithHead, WHOLE_FILE_READ_LIMIT } from './read-file.js';
import { extractPosterFrame } from './video.js';

export interface PreviewRequest {
  /** Long edge of the preview in pixels; smaller pictures are never enlarged. */
  longEdge: number;
  /** The EXIF orientation ingest read, for RAW previews that carry none of their own. */
  orientation: number | null;
  /** Where the poster frame of a video is taken (as ingest did). */
  durationSeconds: number | null;
  ffmpegPath: string | null;
}

/** Kinds sharp can decode straight from a path, for images too big to hold in memory. */
const STREAMABLE_KINDS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif']);
/**
 * WebP at quality 82 keeps a 1920 px photo near 200–400 KB; effort 2 encodes it in tens of
 * milliseconds on the libuv pool (sharp never blocks the event loop).
 */
const PREVIEW_WEBP = { quality: 82, effort: 2 } as const;

/**
 * A display-size WebP of the original at `absPath`, upright, through the decoders ingest uses (RAW:
 * its embedded preview; HEIC: the WASM decoder; video: the poster frame). Throws
 * FileUnreadableError when the file cannot be read and PictureUnavailableError when it holds no
 * picture we can decode.
 */
export async function renderPreview(absPath: string, request: PreviewRequest): Promise<Buffer> {
  const file = await openWithHead(absPath);
  const detected = detectKind(file.head, basename(absPath));
  let picture: PictureOutcome;
  try {
    if (detected.kind === 'video') {
      await file.handle.close();
      picture = await decodeVideoPoster(absPath, request);
    } else if (detected.kind === 'unknown' || detected.kind === 'xmp') {
      throw new PictureUnavailableError(`${basename(absPath)} is not a picture photo-sync can show.`);
    } else if (file.size > WHOLE_FILE_READ_LIMIT) {
      if (!STREAMABLE_KINDS.has(detected.kind))
        throw new PictureUnavailableError(`${basename(absPath)} is too large to preview in this format.`);
      picture = await decodeEncoded(absPath, true, 0, request.longEdge);
    } else {
      let bytes: Buffer;
      try {
        bytes = await file.handle.readFile();
      } catch (error) {
        throw FileUnreadableError.from(absPath, error);
      }
      picture = await decodePicture(bytes, detected, request.orientation, 0, request.longEdge);
    }
  } finally {
    // Closing twice is harmless; a failed close must not hide the real error.
    await file.handle.close().catch(() => undefined);
  }
  if (!picture.decoded) {
    throw new PictureUnavailableError(picture.problem?.message ?? 'The picture cannot be decoded.');
  }
  const { raster } = picture.decoded;
  return sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: raster.channels },
  })
    .webp(PREVIEW_WEBP)
    .toBuffer();
}

async function decodeVideoPoster(absPath: string, request: PreviewRequest): Promise<PictureOutcome> {
  if (!request.ffmpegPath)
    throw new PictureUnavailableError(
      'Video previews need ffmpeg on the server (e.g. apt-get install ffmpeg).',
    );
  let poster: Buffer;
  try {
    poster = await extractPosterFrame(absPath, request.ffmpegPath, request.durationSeconds);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PictureUnavailableError(`ffmpeg cannot extract a frame of this video (${reason}).`);
  }
  return decodeEncoded(poster, false, 0, request.longEdge);
}
