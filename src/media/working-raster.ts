import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { QUALITY_LONG_EDGE } from '../domain/quality-measure.js';
import type { Raster } from './raster-ops.js';

/**
 * The one decode per image: shrink-on-load straight to a small "working raster" from which the
 * thumbnail, pHash and quality metrics are all derived. Shared by analyzeFile and decodeFloor so the
 * ingest benchmark compares like with like.
 */

/** Long edge of the working raster: the quality metrics' normalised size, also plenty for a 250 px thumbnail. */
export const WORKING_LONG_EDGE = QUALITY_LONG_EDGE;
export const DEFAULT_THUMBNAIL_SIZE = 250;

// Every input buffer is new, so libvips' operation cache can never hit; it only holds memory.
sharp.cache(false);

/**
 * Size of the working raster for a picture of `width`×`height` (already upright): long edge
 * `longEdge` (WORKING_LONG_EDGE unless a display preview asks for more), but the short edge at least
 * `minShortEdge` (panoramas), and never enlarged.
 */
export function workingSize(
  width: number,
  height: number,
  minShortEdge: number,
  longEdge = WORKING_LONG_EDGE,
): { width: number; height: number } {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const scale = Math.min(1, Math.max(longEdge / long, minShortEdge / short));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export interface WorkingDecode {
  raster: Raster;
  /** Upright size of the full picture. */
  width: number;
  height: number;
  /** EXIF orientation the decoder found in the input (already applied when `autoOrient`). */
  orientation: number | null;
}

export interface WorkingDecodeOptions {
  minShortEdge: number;
  failOn: NonNullable<SharpOptions['failOn']>;
  /** Apply the input's own EXIF orientation (true for camera JPEG/PNG/TIFF…). */
  autoOrient: boolean;
  raw?: SharpOptions['raw'];
  /** Long edge of the result; WORKING_LONG_EDGE when omitted (previews ask for more). */
  longEdge?: number;
}

/** Decodes `input` (file path, encoded buffer, or raw pixels with `raw`) to the working raster. */
export async function decodeToWorkingRaster(
  input: string | Uint8Array,
  options: WorkingDecodeOptions,
): Promise<WorkingDecode> {
  const sharpOptions: SharpOptions = {
    failOn: options.failOn,
    autoOrient: options.autoOrient,
    ...(options.raw ? { raw: options.raw } : {}),
  };
  const header = options.raw
    ? { ...options.raw, hasAlpha: options.raw.channels % 2 === 0, orientation: undefined }
    : await sharp(input, sharpOptions).metadata();
  const upright =
    options.autoOrient && 'autoOrient' in header
      ? header.autoOrient
      : { width: header.width, height: header.height };
  const target = workingSize(upright.width, upright.height, options.minShortEdge, options.longEdge);
  let pipeline: Sharp = sharp(input, sharpOptions).resize({ ...target, fit: 'fill' });
  if (header.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return {
    raster: { data, width: info.width, height: info.height, channels: info.channels },
    width: upright.width,
    height: upright.height,
    orientation: header.orientation ?? null,
  };
}
