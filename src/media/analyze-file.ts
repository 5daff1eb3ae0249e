import { basename } from 'node:path';
import { emptyMetadata, type AssetMetadata } from '../domain/asset-metadata.js';
import { detectKind, extensionOf, type DetectedKind } from '../domain/detect-kind.js';
import type { AnalyzeOptions, MediaAnalysis, MediaProblem } from './media-analysis.js';
import { decodeEncoded, decodePicture, type PictureOutcome } from './decode-picture.js';
import { deriveProducts } from './derive.js';
import { metadataFromTags } from './metadata-from-tags.js';
import { openWithHead, readWholeAndHash, sha256OfFile, WHOLE_FILE_READ_LIMIT } from './read-file.js';
import { readTags, readTagsFromFile } from './read-tags.js';
import { extractPosterFrame, probeVideo } from './video.js';
import { DEFAULT_THUMBNAIL_SIZE } from './working-raster.js';

export { FileUnreadableError } from './media-errors.js';

type Timings = MediaAnalysis['timings'];
type Stage = keyof Timings;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Kinds sharp can decode straight from a path, for images too big to hold in memory. */
const STREAMABLE_KINDS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif']);

/**
 * Everything ingest learns from one file: reads it once, hashes it, reads its metadata, decodes the
 * picture once (shrink-on-load) and derives thumbnail, pHash and quality from that one decode.
 * Throws FileUnreadableError only when the file cannot be read; bad content becomes `problem`.
 */
export async function analyzeFile(absPath: string, opts: AnalyzeOptions): Promise<MediaAnalysis> {
  const timings: Timings = {};
  const sizing: Sizing = {
    thumbnailSize: opts.thumbnailSize > 0 ? Math.round(opts.thumbnailSize) : DEFAULT_THUMBNAIL_SIZE,
    thumbnail: opts.thumbnail !== false,
  };
  const readStart = performance.now();
  const file = await openWithHead(absPath);
  const detected = detectKind(file.head, basename(absPath));
  const base = { kind: detected.kind, mime: detected.mime, bytes: file.size, timings };

  if (file.size === 0) {
    await file.handle.close();
    return { ...base, ...nothingDecoded(), sha256: EMPTY_SHA256, problem: EMPTY_PROBLEM };
  }

  if (detected.kind === 'video' || file.size > WHOLE_FILE_READ_LIMIT) {
    await file.handle.close();
    timings.read = performance.now() - readStart;
    // Together, so a read error while hashing is never left unhandled.
    const [sha256, rest] = await Promise.all([
      timed(timings, 'hash', () => sha256OfFile(absPath)),
      detected.kind === 'video'
        ? analyzeVideo(absPath, opts, sizing, timings)
        : analyzeHugeImage(absPath, detected, sizing, timings),
    ]);
    return { ...base, ...rest, sha256 };
  }

  const { bytes, sha256, hashMs, release } = await readWholeAndHash(absPath, file);
  timings.read = performance.now() - readStart - hashMs;
  timings.hash = hashMs;
  try {
    const analyse = () => analyzeInMemory(bytes, absPath, detected, sizing, timings);
    const rest = await (opts.sameContent ? opts.sameContent(sha256, analyse) : analyse());
    return { ...base, ...rest, bytes: bytes.length, sha256 };
  } finally {
    release();
  }
}

type ContentResult = Pick<
  MediaAnalysis,
  'metadata' | 'thumbnail' | 'phash' | 'signatures' | 'quality' | 'problem'
>;

/** Thumbnail size, and whether to encode one at all (the headless scan does not need it). */
interface Sizing {
  thumbnailSize: number;
  thumbnail: boolean;
}

async function analyzeInMemory(
  bytes: Buffer,
  absPath: string,
  detected: DetectedKind,
  sizing: Sizing,
  timings: Timings,
): Promise<ContentResult> {
  if (detected.kind === 'unknown') return { ...nothingDecoded(), problem: unsupportedProblem(absPath) };
  const reading = timed(timings, 'metadata', () => readMetadata(bytes, detected));
  if (detected.kind === 'xmp') return { ...nothingDecoded(), metadata: await reading };
  // RAW decoding needs the EXIF orientation first; everything else decodes while the tags are read.
  const decode = (orientation: number | null): Promise<PictureOutcome> =>
    timed(timings, 'decode', () => decodePicture(bytes, detected, orientation, sizing.thumbnailSize));
  const [metadata, picture] =
    detected.kind === 'raw'
      ? await reading.then(async (m) => [m, await decode(m.orientation)] as const)
      : await Promise.all([reading, decode(null)]);
  return finishPicture(picture, metadata, sizing, timings);
}

async function readMetadata(bytes: Uint8Array, detected: DetectedKind): Promise<AssetMetadata> {
  return metadataFromTags(await readTags(bytes, detected), new Date());
}

/** Images over WHOLE_FILE_READ_LIMIT: sharp and exifr read the file themselves, in pieces. */
async function analyzeHugeImage(
  absPath: string,
  detected: DetectedKind,
  sizing: Sizing,
  timings: Timings,
): Promise<ContentResult> {
  if (!STREAMABLE_KINDS.has(detected.kind)) {
    const message = `Files over ${WHOLE_FILE_READ_LIMIT / 2 ** 20} MiB are only analysed for JPEG, PNG, WebP, TIFF, GIF and AVIF.`;
    return { ...nothingDecoded(), problem: { code: 'unsupported', message } };
  }
  const metadata = await timed(timings, 'metadata', async () =>
    metadataFromTags(await readTagsFromFile(absPath), new Date()),
  );
  const picture = await timed(timings, 'decode', () => decodeEncoded(absPath, true, sizing.thumbnailSize));
  return finishPicture(picture, metadata, sizing, timings);
}

async function analyzeVideo(
  absPath: string,
  opts: AnalyzeOptions,
  sizing: Sizing,
  timings: Timings,
): Promise<ContentResult> {
  if (!opts.ffprobePath || !opts.ffmpegPath) return { ...nothingDecoded(), problem: NEEDS_FFMPEG };
  const { ffprobePath, ffmpegPath } = opts;
  let metadata: AssetMetadata;
  try {
    metadata = await timed(timings, 'metadata', () => probeVideo(absPath, ffprobePath, new Date()));
  } catch (error) {
    return { ...nothingDecoded(), problem: videoProblem('ffprobe cannot read this video', error) };
  }
  let poster: Buffer;
  const decodeStart = performance.now();
  try {
    poster = await extractPosterFrame(absPath, ffmpegPath, metadata.durationSeconds);
  } catch (error) {
    return {
      ...nothingDecoded(),
      metadata,
      problem: videoProblem('ffmpeg cannot extract a poster frame', error),
    };
  }
  const picture = await decodeEncoded(poster, false, sizing.thumbnailSize);
  timings.decode = performance.now() - decodeStart;
  // The poster is downscaled by ffmpeg: keep the size ffprobe reported.
  return finishPicture(picture, metadata, sizing, timings, false);
}

async function finishPicture(
  picture: PictureOutcome,
  metadata: AssetMetadata,
  sizing: Sizing,
  timings: Timings,
  sizeFromDecode = true,
): Promise<ContentResult> {
  if (!picture.decoded) return { ...nothingDecoded(), metadata, problem: picture.problem };
  const { raster, width, height } = picture.decoded;
  const sized = sizeFromDecode ? { ...metadata, width, height } : metadata;
  try {
    const derived = await timed(timings, 'derive', () => deriveProducts(raster, picture.integrity, sizing));
    return { metadata: sized, ...derived, problem: picture.problem };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const problem: MediaProblem = {
      code: 'corrupted',
      message: `The picture decoded but its thumbnail failed: ${reason}`,
    };
    return { ...nothingDecoded(), metadata: sized, problem };
  }
}

function nothingDecoded(): ContentResult {
  return {
    metadata: emptyMetadata(),
    thumbnail: null,
    phash: null,
    signatures: null,
    quality: null,
    problem: null,
  };
}

/** Runs `work` and adds its wall time to `stage` (a thunk, so synchronous work before its first await counts). */
async function timed<T>(timings: Timings, stage: Stage, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[stage] = (timings[stage] ?? 0) + performance.now() - start;
  }
}

const EMPTY_PROBLEM: MediaProblem = {
  code: 'empty',
  message:
    'The file is empty (0 bytes), probably an interrupted copy. Restore it from a backup if you have one.',
};

const NEEDS_FFMPEG: MediaProblem = {
  code: 'needs-ffmpeg',
  message: 'Video thumbnails need ffmpeg: install ffmpeg (e.g. apt-get install ffmpeg) and rescan',
};

function unsupportedProblem(absPath: string): MediaProblem {
  const ext = extensionOf(absPath);
  const despite = ext ? ` (despite its .${ext} extension)` : '';
  return {
    code: 'unsupported',
    message: `Not a photo, video or XMP sidecar photo-sync can read: its content matches no supported format${despite}.`,
  };
}

function videoProblem(what: string, error: unknown): MediaProblem {
  const detail =
    error instanceof Error ? error.message.split('\n').slice(0, 2).join(' ').trim() : String(error);
  return { code: 'corrupted', message: `The video may be damaged: ${what} (${detail}).` };
}
