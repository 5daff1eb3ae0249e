import { exifr } from './exifr-api.js';
import type { DetectedKind } from '../domain/detect-kind.js';
import { readAppleMakerNote } from './apple-maker-note.js';
import { extractIsoBmffMetadata } from './isobmff-meta.js';
import { findLargestEmbeddedJpeg } from './raw-preview.js';
import { extractWebpMetadata } from './webp-chunks.js';

/** Flat tag name → value map (exifr's merged output plus the ids we decode ourselves). */
export type TagBag = Record<string, unknown>;

/**
 * exifr configured for speed: only IFD0, Exif, GPS and XMP; no thumbnail IFD, interop, ICC, IPTC or
 * JFIF. Values stay raw (no date revival, which would read wall clocks in the server's time zone; no
 * value translation, so Orientation stays 1..8). The MakerNote is kept as bytes for Apple's ids.
 */
const EXIFR_OPTIONS = {
  tiff: true,
  ifd0: {},
  exif: true,
  gps: true,
  xmp: true,
  ifd1: false,
  interop: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: true,
  userComment: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  mergeOutput: true,
  silentErrors: true,
  sanitize: true,
};

/** Exif-IFD tags that some writers put in IFD0 (DNG, Canon CR3's CMT2), where exifr leaves them numeric. */
const NUMERIC_TAG_NAMES: Record<string, string> = {
  '33434': 'ExposureTime',
  '33437': 'FNumber',
  '34855': 'ISO',
  '36867': 'DateTimeOriginal',
  '36868': 'CreateDate',
  '36881': 'OffsetTimeOriginal',
  '37386': 'FocalLength',
  '37521': 'SubSecTimeOriginal',
  '42033': 'BodySerialNumber',
  '42036': 'LensModel',
};

/** Reads every tag we can find for this kind; never throws (unreadable metadata is just absent). */
export async function readTags(bytes: Uint8Array, detected: DetectedKind): Promise<TagBag> {
  try {
    const bag = await readTagsByKind(bytes, detected);
    nameNumericTags(bag);
    addAppleMakerNoteIds(bag);
    return bag;
  } catch {
    return {};
  }
}

async function readTagsByKind(bytes: Uint8Array, { kind, format }: DetectedKind): Promise<TagBag> {
  switch (kind) {
    case 'jpeg':
    case 'png':
    case 'tiff':
      return parseWithExifr(bytes);
    case 'raw':
      return parseRaw(bytes, format);
    case 'heic':
    case 'avif':
      return parseIsoBmff(bytes);
    case 'webp': {
      const { tiff, xmp } = extractWebpMetadata(bytes);
      return merge(tiff ? await parseWithExifr(tiff) : {}, xmp ? await parseXmp(xmp) : {});
    }
    case 'xmp':
      return parseXmp(bytes);
    default:
      return {};
  }
}

/** Tags of a file too big to hold in memory (JPEG/PNG/TIFF): exifr reads the parts it needs itself. */
export async function readTagsFromFile(absPath: string): Promise<TagBag> {
  const bag = await parseWithExifr(absPath);
  nameNumericTags(bag);
  return bag;
}

/** exifr on one JPEG/PNG/TIFF structure (bytes or a path); {} when exifr cannot read it. */
export async function parseWithExifr(bytes: Uint8Array | string): Promise<TagBag> {
  try {
    const output: unknown = await exifr.parse(bytes, EXIFR_OPTIONS);
    return isRecord(output) ? output : {};
  } catch {
    return {};
  }
}

/** RAF and some other RAWs are not TIFF files exifr can read; their embedded preview JPEG carries the EXIF. */
async function parseRaw(bytes: Uint8Array, format: string | null): Promise<TagBag> {
  const own = format === 'cr3' ? await parseIsoBmff(bytes) : await parseWithExifr(bytes);
  if (own.Make !== undefined && own.DateTimeOriginal !== undefined) return own;
  const preview = findLargestEmbeddedJpeg(bytes);
  return preview ? merge(own, await parseWithExifr(preview.jpeg)) : own;
}

async function parseIsoBmff(bytes: Uint8Array): Promise<TagBag> {
  const { tiffBlobs, xmp } = extractIsoBmffMetadata(bytes);
  const bags = await Promise.all(tiffBlobs.map((blob) => parseWithExifr(blob)));
  if (xmp) bags.push(await parseXmp(xmp));
  return merge(...bags);
}

/** XMP is namespaced (`{ xmp: { Rating }, dc: { description } }`); flatten it like exifr's merged output. */
async function parseXmp(bytes: Uint8Array): Promise<TagBag> {
  const output: unknown = await exifr.sidecar(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    EXIFR_OPTIONS,
    'xmp',
  );
  if (!isRecord(output)) return {};
  const flat: TagBag = {};
  for (const [namespace, values] of Object.entries(output)) {
    if (namespace === 'xmlns') continue;
    if (isRecord(values) && !('value' in values)) Object.assign(flat, values);
    else flat[namespace] = values;
  }
  return flat;
}

/** Earlier bags win: callers pass the most authoritative source first. */
function merge(...bags: TagBag[]): TagBag {
  const out: TagBag = {};
  for (const bag of bags) {
    for (const [key, value] of Object.entries(bag)) if (!(key in out)) out[key] = value;
  }
  return out;
}

function nameNumericTags(bag: TagBag): void {
  for (const [numeric, name] of Object.entries(NUMERIC_TAG_NAMES)) {
    if (numeric in bag && !(name in bag)) bag[name] = bag[numeric];
  }
}

function addAppleMakerNoteIds(bag: TagBag): void {
  const note = bag.MakerNote;
  if (!(note instanceof Uint8Array)) return;
  const ids = readAppleMakerNote(note);
  if (ids?.burstId) bag.BurstUUID ??= ids.burstId;
  if (ids?.contentIdentifier) bag.ContentIdentifier ??= ids.contentIdentifier;
}

export function isRecord(value: unknown): value is TagBag {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
