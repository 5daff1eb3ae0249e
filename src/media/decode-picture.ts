import type { DetectedKind } from '../domain/detect-kind.js';
import type { DecodeIntegrity } from '../domain/quality-metrics.js';
import type { MediaProblem } from './media-analysis.js';
import { decodeBmp } from './bmp-decode.js';
import { decodeUncompressedCfaDng } from './dng-cfa.js';
import { decodeHeic } from './heic-decoder.js';
import { orientRaster, type Raster } from './raster-ops.js';
import { findLargestEmbeddedJpeg } from './raw-preview.js';
import { decodeToWorkingRaster, WORKING_LONG_EDGE, type WorkingDecode } from './working-raster.js';

/** The single decode of one picture, with how intact it was. `decoded` is null when nothing could be shown. */
export interface PictureOutcome {
  decoded: WorkingDecode | null;
  integrity: DecodeIntegrity;
  problem: MediaProblem | null;
}

const RESTORE_HINT = 'Restore it from a backup if you have one.';

/**
 * Decodes any still picture to the working raster (or, with a bigger `longEdge`, to a display
 * preview through the very same decoders).
 * `orientation` is the file's EXIF Orientation, used where the decoder cannot apply it itself
 * (RAW previews without their own EXIF, demosaiced DNG data). Never throws.
 */
export async function decodePicture(
  bytes: Uint8Array,
  detected: DetectedKind,
  orientation: number | null,
  minShortEdge: number,
  longEdge = WORKING_LONG_EDGE,
): Promise<PictureOutcome> {
  try {
    return await decodeByKind(bytes, detected, orientation, minShortEdge, longEdge);
  } catch (error) {
    // The decoders below report problems themselves; this only guards against the unforeseen.
    return undecodable(`The image cannot be decoded (${decoderMessage(error)}).`, 'corrupted');
  }
}

async function decodeByKind(
  bytes: Uint8Array,
  detected: DetectedKind,
  orientation: number | null,
  minShortEdge: number,
  longEdge: number,
): Promise<PictureOutcome> {
  switch (detected.kind) {
    case 'heic':
      return decodeHeicPicture(bytes, minShortEdge, longEdge);
    case 'raw':
      return decodeRawPicture(bytes, orientation, minShortEdge, longEdge);
    case 'bmp': {
      const raster = decodeBmp(bytes);
      if (!raster)
        return undecodable('This BMP variant (compressed or damaged) cannot be decoded.', 'corrupted');
      return fromRaster(raster, null, minShortEdge, longEdge);
    }
    default:
      return decodeEncoded(bytes, true, minShortEdge, longEdge);
  }
}

/**
 * sharp decode, strict first (any libjpeg/libpng warning fails it, which is how truncation and damage
 * are noticed), then lenient so a damaged file still gets a thumbnail.
 */
export async function decodeEncoded(
  input: string | Uint8Array,
  autoOrient: boolean,
  minShortEdge: number,
  longEdge = WORKING_LONG_EDGE,
): Promise<PictureOutcome> {
  try {
    const decoded = await decodeToWorkingRaster(input, {
      failOn: 'warning',
      autoOrient,
      minShortEdge,
      longEdge,
    });
    return { decoded, integrity: 'ok', problem: null };
  } catch (strictError) {
    const reason = decoderMessage(strictError);
    if (/pixel limit/i.test(reason)) {
      return {
        decoded: null,
        integrity: 'ok',
        problem: { code: 'unsupported', message: `Image too large to decode: ${reason}` },
      };
    }
    const verdict =
      typeof input !== 'string' && missesEndMarker(input) ? 'truncated' : classifyDecoderWarning(reason);
    let decoded: WorkingDecode | null = null;
    try {
      decoded = await decodeToWorkingRaster(input, { failOn: 'none', autoOrient, minShortEdge, longEdge });
    } catch {
      // Not even a partial picture.
    }
    if (verdict === 'benign' && decoded) return { decoded, integrity: 'ok', problem: null };
    const integrity = verdict === 'truncated' ? 'truncated' : 'corrupted';
    if (!decoded) return undecodable(`The image cannot be decoded (${reason}).`, integrity);
    const what =
      integrity === 'truncated'
        ? 'The file is truncated (an incomplete copy or interrupted transfer): part of the picture is missing.'
        : 'The image data is damaged: the picture may show glitches.';
    return {
      decoded,
      integrity,
      problem: { code: 'corrupted', message: `${what} Decoder said: ${reason}. ${RESTORE_HINT}` },
    };
  }
}

/**
 * Warnings that real, intact camera files trigger and that do not damage the picture: some cameras
 * pad the end of the scan, which libjpeg reports as extraneous bytes before the EOI marker (0xd9).
 * Extraneous bytes before any other marker mean damage inside the picture.
 */
const BENIGN_WARNING = /extraneous bytes before marker 0xd9/i;
const TRUNCATION =
  /premature end of (jpeg image|input)|truncat|unexpected end|end of (file|stream|data)|not enough data/i;

export function classifyDecoderWarning(message: string): 'benign' | 'truncated' | 'corrupted' {
  if (BENIGN_WARNING.test(message)) return 'benign';
  if (/corrupt jpeg data/i.test(message)) return 'corrupted';
  return TRUNCATION.test(message) ? 'truncated' : 'corrupted';
}

/**
 * libpng reports truncation and damage with the same "read error"; the missing end marker (PNG IEND,
 * JPEG EOI, GIF trailer) is what tells a cut-off file apart. Trailing zero padding is ignored.
 */
function missesEndMarker(bytes: Uint8Array): boolean {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const tail = (n: number): number[] => [...bytes.subarray(Math.max(0, end - n), end)];
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return String.fromCharCode(...tail(8).slice(0, 4)) !== 'IEND';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return !(tail(2)[0] === 0xff && tail(2)[1] === 0xd9);
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return tail(1)[0] !== 0x3b;
  return false;
}

async function decodeHeicPicture(
  bytes: Uint8Array,
  minShortEdge: number,
  longEdge: number,
): Promise<PictureOutcome> {
  try {
    const image = await decodeHeic(bytes);
    return await fromRaster({ ...image, channels: 4 }, null, minShortEdge, longEdge);
  } catch (heicError) {
    // Not HEVC-coded (e.g. AV1 or JPEG inside HEIF): libvips may still read it.
    const viaSharp = await decodeEncoded(bytes, true, minShortEdge, longEdge);
    if (viaSharp.decoded) return viaSharp;
    return undecodable(`The HEIC image cannot be decoded (${decoderMessage(heicError)}).`, 'corrupted');
  }
}

async function decodeRawPicture(
  bytes: Uint8Array,
  orientation: number | null,
  minShortEdge: number,
  longEdge: number,
): Promise<PictureOutcome> {
  const preview = findLargestEmbeddedJpeg(bytes);
  if (preview) {
    const outcome = await decodeEncoded(preview.jpeg, true, minShortEdge, longEdge);
    const previewHasOwnOrientation = (outcome.decoded?.orientation ?? 1) !== 1;
    if (!outcome.decoded || previewHasOwnOrientation) return outcome;
    return { ...outcome, decoded: orientDecoded(outcome.decoded, orientation) };
  }
  const cfa = decodeUncompressedCfaDng(bytes);
  if (cfa) {
    const outcome = await fromRaster(cfa, orientation, minShortEdge, longEdge);
    if (!outcome.decoded) return outcome;
    // Report the sensor size, not the half-size demosaic.
    const swap = (orientation ?? 1) >= 5;
    return {
      ...outcome,
      decoded: {
        ...outcome.decoded,
        width: (swap ? cfa.height : cfa.width) * 2,
        height: (swap ? cfa.width : cfa.height) * 2,
      },
    };
  }
  return undecodable('RAW without embedded preview: not supported yet.', 'corrupted', false);
}

/** Decoded pixels (HEIC, BMP, demosaiced DNG) → working raster, then the given orientation. */
async function fromRaster(
  raster: Raster,
  orientation: number | null,
  minShortEdge: number,
  longEdge: number,
): Promise<PictureOutcome> {
  try {
    const decoded = await decodeToWorkingRaster(raster.data, {
      raw: { width: raster.width, height: raster.height, channels: raster.channels },
      failOn: 'none',
      autoOrient: false,
      minShortEdge,
      longEdge,
    });
    return { decoded: orientDecoded(decoded, orientation), integrity: 'ok', problem: null };
  } catch (error) {
    return undecodable(`The decoded pixels could not be processed (${decoderMessage(error)}).`, 'corrupted');
  }
}

function orientDecoded(decoded: WorkingDecode, orientation: number | null): WorkingDecode {
  if (orientation === null || orientation < 2 || orientation > 8) return decoded;
  const swap = orientation >= 5;
  return {
    raster: orientRaster(decoded.raster, orientation),
    width: swap ? decoded.height : decoded.width,
    height: swap ? decoded.width : decoded.height,
    orientation,
  };
}

function undecodable(message: string, integrity: DecodeIntegrity, damaged = true): PictureOutcome {
  const text = damaged ? `${message} ${RESTORE_HINT}` : message;
  return { decoded: null, integrity, problem: { code: 'corrupted', message: text } };
}

/** libvips messages are multi-line and repetitive; keep the first distinct lines. */
export function decoderMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = [
    ...new Set(
      raw
        .split(/\n+/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
  return lines.slice(0, 2).join('; ').replace(/\.$/, '');
}
