/**
 * WebP keeps EXIF and XMP in RIFF chunks ('EXIF', 'XMP '), which exifr does not read. The EXIF chunk
 * holds a TIFF structure, sometimes behind an "Exif\0\0" prefix.
 */
export interface WebpMetadataChunks {
  tiff: Uint8Array | null;
  xmp: Uint8Array | null;
}

const RIFF_HEADER = 12;
const MAX_CHUNKS = 1000;

export function extractWebpMetadata(bytes: Uint8Array): WebpMetadataChunks {
  const found: WebpMetadataChunks = { tiff: null, xmp: null };
  let pos = RIFF_HEADER;
  for (let n = 0; n < MAX_CHUNKS && pos + 8 <= bytes.length; n++) {
    const fourcc = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    const size =
      (bytes[pos + 4] ?? 0) |
      ((bytes[pos + 5] ?? 0) << 8) |
      ((bytes[pos + 6] ?? 0) << 16) |
      ((bytes[pos + 7] ?? 0) * 2 ** 24);
    const start = pos + 8;
    const end = start + size;
    if (end > bytes.length) break;
    if (fourcc === 'EXIF') {
      const body = bytes.subarray(start, end);
      const prefixed = String.fromCharCode(...body.subarray(0, 6)) === 'Exif\0\0';
      found.tiff = prefixed ? body.subarray(6) : body;
    } else if (fourcc === 'XMP ') {
      found.xmp = bytes.subarray(start, end);
    }
    pos = end + (size & 1);
  }
  return found;
}
