/** What a file is, decided from its bytes (magic numbers), never from its extension alone. */
export type FileKind =
  'jpeg' | 'png' | 'webp' | 'avif' | 'heic' | 'tiff' | 'gif' | 'bmp' | 'raw' | 'video' | 'xmp' | 'unknown';

export type MediaClass = 'image' | 'raw' | 'video' | 'sidecar' | 'unknown';

export function mediaClassOf(kind: FileKind): MediaClass {
  switch (kind) {
    case 'raw':
      return 'raw';
    case 'video':
      return 'video';
    case 'xmp':
      return 'sidecar';
    case 'unknown':
      return 'unknown';
    default:
      return 'image';
  }
}
