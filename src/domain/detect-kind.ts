import type { FileKind } from './file-kind.js';

/**
 * File kind from magic bytes. The extension only breaks ties the bytes cannot: most camera RAW formats
 * are plain TIFF containers, so a TIFF is RAW when its extension is a RAW extension or it has a
 * DNGVersion tag. A text file named .jpg is 'unknown'; a PNG named .jpg is 'png'.
 */
export interface DetectedKind {
  kind: FileKind;
  mime: string | null;
  /** Finer container/format name (e.g. 'cr3', 'dng', 'mov', 'mkv'), null when unknown. */
  format: string | null;
}

/** How many leading bytes detectKind wants (it works with fewer, but may miss TIFF tags or WebM doctypes). */
export const KIND_DETECTION_HEAD_BYTES = 64 * 1024;

const RAW_VENDORS: Record<string, string> = {
  dng: 'adobe', cr2: 'canon', cr3: 'canon', crw: 'canon', nef: 'nikon', nrw: 'nikon', arw: 'sony',
  sr2: 'sony', srf: 'sony', orf: 'olympus', raf: 'fuji', rw2: 'panasonic', rwl: 'leica', pef: 'pentax',
  iiq: 'phaseone', '3fr': 'hasselblad', fff: 'hasselblad', srw: 'samsung', erf: 'epson', mef: 'mamiya',
  mos: 'leaf', mrw: 'minolta', kdc: 'kodak', dcr: 'kodak', x3f: 'sigma',
}; // prettier-ignore

const UNKNOWN: DetectedKind = { kind: 'unknown', mime: null, format: null };
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'miaf']);
const AUDIO_ONLY_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
const QUICKTIME_TOP_ATOMS = new Set(['moov', 'mdat', 'free', 'wide', 'skip', 'pnot']);
const BMP_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

export function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

export function isRawExtension(ext: string): boolean {
  return Object.hasOwn(RAW_VENDORS, ext);
}

function raw(format: string): DetectedKind {
  const vendor = RAW_VENDORS[format];
  return { kind: 'raw', mime: vendor ? `image/x-${vendor}-${format}` : 'image/x-raw', format };
}

const image = (kind: FileKind, mime: string, format: string = kind): DetectedKind => ({ kind, mime, format });
const video = (mime: string, format: string): DetectedKind => ({ kind: 'video', mime, format });

export function detectKind(head: Uint8Array, fileName: string): DetectedKind {
  const ext = extensionOf(fileName);
  const at = (offset: number, text: string): boolean => ascii(head, offset, text.length) === text;
  const bytesAt = (offset: number, bytes: number[]): boolean => bytes.every((b, i) => head[offset + i] === b);

  if (head.length < 2) return UNKNOWN;
  if (bytesAt(0, [0xff, 0xd8, 0xff])) return image('jpeg', 'image/jpeg');
  if (bytesAt(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image('png', 'image/png');
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return image('gif', 'image/gif');
  if (at(0, 'RIFF') && at(8, 'WEBP')) return image('webp', 'image/webp');
  if (at(0, 'RIFF') && at(8, 'AVI ')) return video('video/x-msvideo', 'avi');
  if (at(0, 'FUJIFILMCCD-RAW')) return raw('raf');
  if (at(0, 'IIRO') || at(0, 'IIRS') || at(0, 'MMOR')) return raw('orf');
  if (bytesAt(0, [0x49, 0x49, 0x55, 0x00])) return raw(ext === 'rwl' ? 'rwl' : 'rw2');
  if (bytesAt(0, [0x00, 0x4d, 0x52, 0x4d])) return raw('mrw');
  if (at(0, 'FOVb')) return raw('x3f');
  if (at(0, 'II') && at(6, 'HEAPCCDR')) return raw('crw');
  if (at(0, 'II*\0') || at(0, 'MM\0*')) return classifyTiff(head, ext);
  if (at(0, 'II+\0') || at(0, 'MM\0+')) return image('tiff', 'image/tiff', 'bigtiff');
  if (at(4, 'ftyp')) return classifyIsoBmff(head);
  if (QUICKTIME_TOP_ATOMS.has(ascii(head, 4, 4))) return video('video/quicktime', 'mov');
  if (bytesAt(0, [0x1a, 0x45, 0xdf, 0xa3])) {
    return indexOfAscii(head, 'webm', 64) >= 0
      ? video('video/webm', 'webm')
      : video('video/x-matroska', 'mkv');
  }
  if (bytesAt(0, [0x00, 0x00, 0x01, 0xba]) || bytesAt(0, [0x00, 0x00, 0x01, 0xb3])) {
    return video('video/mpeg', 'mpeg');
  }
  if (isTransportStream(head)) return video('video/mp2t', 'm2ts');
  if (bytesAt(0, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return video('video/x-ms-asf', 'asf');
  if (at(0, 'FLV\x01')) return video('video/x-flv', 'flv');
  if (at(0, 'BM') && BMP_HEADER_SIZES.has(readUint32Le(head, 14) ?? -1)) return image('bmp', 'image/bmp');
  if (isXmpPacket(head)) return { kind: 'xmp', mime: 'application/rdf+xml', format: 'xmp' };
  return UNKNOWN;
}

function classifyTiff(head: Uint8Array, ext: string): DetectedKind {
  if (ascii(head, 8, 2) === 'CR') return raw('cr2');
  if (hasTiffTag(head, DNG_VERSION_TAG)) return raw('dng');
  if (isRawExtension(ext)) return raw(ext);
  return image('tiff', 'image/tiff');
}

function classifyIsoBmff(head: Uint8Array): DetectedKind {
  const major = ascii(head, 8, 4);
  const boxSize = readUint32Be(head, 0) ?? 0;
  const brands = new Set([major]);
  for (let o = 16; o + 4 <= Math.min(boxSize, head.length); o += 4) brands.add(ascii(head, o, 4));
  const has = (list: Iterable<string>): boolean => [...list].some((b) => brands.has(b));

  if (major === 'crx ') return raw('cr3');
  if (major === 'avif' || major === 'avis') return image('avif', 'image/avif');
  if (HEIC_BRANDS.has(major)) {
    return image('heic', major.startsWith('hev') ? 'image/heic-sequence' : 'image/heic');
  }
  if (GENERIC_HEIF_BRANDS.has(major) || has(GENERIC_HEIF_BRANDS)) {
    if (has(['avif', 'avis'])) return image('avif', 'image/avif');
    return image('heic', has(HEIC_BRANDS) ? 'image/heic' : 'image/heif');
  }
  if (major === 'qt  ') return video('video/quicktime', 'mov');
  if (major.startsWith('M4V')) return video('video/x-m4v', 'm4v');
  if (major.startsWith('3g2')) return video('video/3gpp2', '3g2');
  if (major.startsWith('3g')) return video('video/3gpp', '3gp');
  if (AUDIO_ONLY_BRANDS.has(major) || major.startsWith('jp')) return UNKNOWN;
  return video('video/mp4', 'mp4');
}

/** MPEG-TS (188-byte packets) or M2TS/AVCHD (192-byte packets with a 4-byte timestamp prefix). */
function isTransportStream(head: Uint8Array): boolean {
  const syncEvery = (first: number, step: number): boolean =>
    head.length >= first + 2 * step + 1 && [0, 1, 2].every((i) => head[first + i * step] === 0x47);
  return syncEvery(0, 188) || syncEvery(4, 192);
}

/** XMP sidecars: optional BOM/whitespace, then an xpacket or xmpmeta element (or an XML prolog before one). */
function isXmpPacket(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  const start = ascii(head, i, 11);
  if (start.startsWith('<?xpacket') || start.startsWith('<x:xmpmeta')) return true;
  return start.startsWith('<?xml') && indexOfAscii(head, '<x:xmpmeta', 2048) >= 0;
}

const DNG_VERSION_TAG = 50706;

/** Whether IFD0 of a TIFF (as far as it lies within `head`) contains `tag`. */
function hasTiffTag(head: Uint8Array, tag: number): boolean {
  const little = head[0] === 0x49;
  const read16 = (o: number): number | null => (little ? readUint16Le(head, o) : readUint16Be(head, o));
  const ifd = little ? readUint32Le(head, 4) : readUint32Be(head, 4);
  if (ifd === null) return false;
  const count = read16(ifd);
  if (count === null) return false;
  for (let i = 0; i < count; i++) {
    const entryTag = read16(ifd + 2 + i * 12);
    if (entryTag === null) return false;
    if (entryTag === tag) return true;
  }
  return false;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset < 0 || offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function indexOfAscii(bytes: Uint8Array, text: string, limit: number): number {
  const end = Math.min(bytes.length, limit) - text.length;
  for (let i = 0; i <= end; i++) {
    let j = 0;
    while (j < text.length && bytes[i + j] === text.charCodeAt(j)) j++;
    if (j === text.length) return i;
  }
  return -1;
}

const readUint16Le = (b: Uint8Array, o: number): number | null =>
  o + 2 <= b.length ? (b[o] as number) | ((b[o + 1] as number) << 8) : null;
const readUint16Be = (b: Uint8Array, o: number): number | null =>
  o + 2 <= b.length ? ((b[o] as number) << 8) | (b[o + 1] as number) : null;
const readUint32Le = (b: Uint8Array, o: number): number | null =>
  o + 4 <= b.length ? (readUint16Le(b, o + 2) as number) * 65536 + (readUint16Le(b, o) as number) : null;
const readUint32Be = (b: Uint8Array, o: number): number | null =>
  o + 4 <= b.length ? (readUint16Be(b, o) as number) * 65536 + (readUint16Be(b, o + 2) as number) : null;
