import { AssetTypeEnum, type AssetResponseDto } from '@immich/sdk';
import { emptyMetadata, type AssetMetadata } from '../domain/asset-metadata.js';
import { extensionOf, isRawExtension } from '../domain/detect-kind.js';
import type { FileKind } from '../domain/file-kind.js';

/** Pure mapping of Immich's asset DTO to what photo-sync keeps about an asset. */

const MIME_KINDS: Record<string, FileKind> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'image/heif': 'heic',
  'image/tiff': 'tiff',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
};

export function kindOfImmichAsset(
  a: Pick<AssetResponseDto, 'type' | 'originalMimeType' | 'originalFileName'>,
): FileKind {
  if (a.type === AssetTypeEnum.Video) return 'video';
  const mime = a.originalMimeType ?? '';
  if (isRawExtension(extensionOf(a.originalFileName))) return 'raw';
  if (mime.startsWith('image/x-')) return 'raw';
  return MIME_KINDS[mime] ?? 'unknown';
}

/**
 * Immich's checksum (base64 SHA-1 of the original) as the content hash column holds it: lowercase
 * hex, 40 characters, so it can never equal a folder file's 64-character SHA-256.
 */
export function contentHashOf(checksum: string): string {
  return Buffer.from(checksum, 'base64').toString('hex');
}

/**
 * Whether a content hash is an Immich checksum (40 hex characters; a folder file's SHA-256 has 64).
 * Equal SHA-1s of two originals are taken as byte identity (see docs/IMMICH.md: only files crafted
 * to collide differ under one SHA-1, and nobody crafts their own photos so).
 */
export function isImmichContentHash(hash: string | null): boolean {
  return hash !== null && hash.length === 40;
}

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** "1/250" or "0.004" → seconds. */
export function exposureSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const v = m ? Number(m[1]) / Number(m[2]) : Number(text);
  return Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * EXIF as Immich extracted it. The capture instant is `dateTimeOriginal`; the wall clock is
 * `localDateTime` (a timezone-free time written with a Z), so their difference is the offset when
 * Immich knows the time zone. Immich does not expose burst ids or body serials.
 */
export function metadataOfImmichAsset(a: AssetResponseDto): AssetMetadata {
  const m = emptyMetadata();
  const e = a.exifInfo ?? {};
  if (e.dateTimeOriginal) {
    const instant = new Date(e.dateTimeOriginal);
    if (!Number.isNaN(instant.getTime())) {
      m.capturedAt = instant;
      const local = new Date(a.localDateTime);
      if (!Number.isNaN(local.getTime())) {
        m.captureLocal = local.toISOString().slice(0, 23);
        if (e.timeZone) m.captureOffsetMinutes = Math.round((local.getTime() - instant.getTime()) / 60000);
      }
    }
  }
  m.make = e.make ?? null;
  m.model = e.model ?? null;
  m.lens = e.lensModel ?? null;
  m.exposureTime = exposureSeconds(e.exposureTime);
  m.fNumber = finite(e.fNumber);
  m.iso = finite(e.iso);
  m.focalLength = finite(e.focalLength);
  const lat = finite(e.latitude);
  const lon = finite(e.longitude);
  if (lat !== null && lon !== null && !(lat === 0 && lon === 0)) {
    m.gpsLatitude = lat;
    m.gpsLongitude = lon;
  }
  const orientation = e.orientation ? Number(e.orientation) : NaN;
  m.orientation = Number.isInteger(orientation) && orientation >= 1 && orientation <= 8 ? orientation : null;
  m.width = finite(a.width) ?? finite(e.exifImageWidth);
  m.height = finite(a.height) ?? finite(e.exifImageHeight);
  m.rating = finite(e.rating);
  m.description = e.description?.trim() ? e.description : null;
  m.durationSeconds = a.duration === null ? null : a.duration / 1000;
  return m;
}
