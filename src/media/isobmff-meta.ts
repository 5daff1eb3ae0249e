/**
 * Pulls the metadata blobs out of ISO-BMFF images ourselves, because exifr's HEIF reader rejects
 * valid files (e.g. libheif output with the Exif item after the image data):
 * - HEIC/AVIF: the 'Exif' item (a TIFF structure after a 4-byte header offset) and the XMP item
 *   ('mime' item with content type application/rdf+xml), located through meta/iinf + meta/iloc.
 * - CR3: Canon's CMT1 (IFD0), CMT2 (Exif IFD) and CMT4 (GPS IFD) boxes, each a complete TIFF.
 * Bounds-checked; garbage yields empty results, never an exception.
 */

export interface IsoBmffMetadata {
  /** Complete TIFF structures (start with II/MM), in order of importance. */
  tiffBlobs: Uint8Array[];
  xmp: Uint8Array | null;
}

interface Box {
  type: string;
  /** Absolute offsets of the payload (after the header) and of the end of the box. */
  start: number;
  end: number;
}

const CANON_METADATA_UUID = '85c0b687820f11e08111f4ce462b6a48';
const MAX_BOXES = 10_000;

export function extractIsoBmffMetadata(bytes: Uint8Array): IsoBmffMetadata {
  try {
    const top = childBoxes(bytes, 0, bytes.length);
    const meta = top.find((b) => b.type === 'meta');
    if (meta) return heifItems(bytes, childBoxes(bytes, meta.start + 4, meta.end));
    const moov = top.find((b) => b.type === 'moov');
    if (moov) return { tiffBlobs: canonCmtBoxes(bytes, moov), xmp: null };
  } catch {
    // Fall through: damaged containers just have no metadata.
  }
  return { tiffBlobs: [], xmp: null };
}

function childBoxes(bytes: Uint8Array, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let pos = from;
  while (pos + 8 <= to && boxes.length < MAX_BOXES) {
    let size = u32(bytes, pos);
    const type = ascii(bytes, pos + 4, 4);
    let header = 8;
    if (size === 1) {
      size = u32(bytes, pos + 8) * 2 ** 32 + u32(bytes, pos + 12);
      header = 16;
    } else if (size === 0) {
      size = to - pos;
    }
    if (size < header || pos + size > to) break;
    boxes.push({ type, start: pos + header, end: pos + size });
    pos += size;
  }
  return boxes;
}

function heifItems(bytes: Uint8Array, metaChildren: Box[]): IsoBmffMetadata {
  const iinf = metaChildren.find((b) => b.type === 'iinf');
  const iloc = metaChildren.find((b) => b.type === 'iloc');
  const idat = metaChildren.find((b) => b.type === 'idat');
  if (!iinf || !iloc) return { tiffBlobs: [], xmp: null };
  const items = itemInfos(bytes, iinf);
  const locations = itemLocations(bytes, iloc, idat?.start ?? null);
  const tiffBlobs: Uint8Array[] = [];
  let xmp: Uint8Array | null = null;
  for (const item of items) {
    const data = locations.get(item.id);
    if (!data) continue;
    if (item.type === 'Exif') {
      const tiff = tiffInExifItem(data);
      if (tiff) tiffBlobs.push(tiff);
    } else if (item.type === 'mime' && item.contentType === 'application/rdf+xml') {
      xmp ??= data;
    }
  }
  return { tiffBlobs, xmp };
}

interface ItemInfo {
  id: number;
  type: string;
  contentType: string | null;
}

function itemInfos(bytes: Uint8Array, iinf: Box): ItemInfo[] {
  const version = bytes[iinf.start] ?? 0;
  const firstEntry = iinf.start + 4 + (version === 0 ? 2 : 4);
  const infos: ItemInfo[] = [];
  for (const infe of childBoxes(bytes, firstEntry, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const infeVersion = bytes[infe.start] ?? 0;
    if (infeVersion < 2) continue;
    const idSize = infeVersion === 2 ? 2 : 4;
    const id = idSize === 2 ? u16(bytes, infe.start + 4) : u32(bytes, infe.start + 4);
    const typeAt = infe.start + 4 + idSize + 2;
    const type = ascii(bytes, typeAt, 4);
    let contentType: string | null = null;
    if (type === 'mime') {
      const nameEnd = bytes.indexOf(0, typeAt + 4);
      const ctStart = nameEnd + 1;
      const ctEnd = bytes.indexOf(0, ctStart);
      if (nameEnd >= 0 && ctEnd > ctStart && ctEnd <= infe.end)
        contentType = ascii(bytes, ctStart, ctEnd - ctStart);
    }
    infos.push({ id, type, contentType });
  }
  return infos;
}

/** item id → concatenated extents (construction method 0: file offsets; 1: offsets into idat). */
function itemLocations(bytes: Uint8Array, iloc: Box, idatStart: number | null): Map<number, Uint8Array> {
  const version = bytes[iloc.start] ?? 0;
  let pos = iloc.start + 4;
  const sizes = bytes[pos] ?? 0;
  const sizes2 = bytes[pos + 1] ?? 0;
  const [offsetSize, lengthSize, baseOffsetSize] = [sizes >> 4, sizes & 15, sizes2 >> 4];
  const indexSize = version === 1 || version === 2 ? sizes2 & 15 : 0;
  pos += 2;
  const itemCount = version < 2 ? u16(bytes, pos) : u32(bytes, pos);
  pos += version < 2 ? 2 : 4;
  const readSized = (size: number): number => {
    const value =
      size === 0 ? 0 : size === 4 ? u32(bytes, pos) : size === 8 ? u64(bytes, pos) : u16(bytes, pos);
    pos += size;
    return value;
  };
  const located = new Map<number, Uint8Array>();
  for (let i = 0; i < itemCount && pos < iloc.end; i++) {
    const id = readSized(version < 2 ? 2 : 4);
    const method = version === 1 || version === 2 ? readSized(2) & 15 : 0;
    readSized(2); // data_reference_index
    const base = readSized(baseOffsetSize);
    const extentCount = readSized(2);
    const parts: Uint8Array[] = [];
    for (let e = 0; e < extentCount && pos <= iloc.end; e++) {
      readSized(indexSize);
      const offset = readSized(offsetSize);
      const length = readSized(lengthSize);
      const origin = method === 1 ? idatStart : method === 0 ? 0 : null;
      if (origin === null) continue;
      const start = origin + base + offset;
      const end = length === 0 ? bytes.length : start + length;
      if (start >= 0 && end <= bytes.length && end > start) parts.push(bytes.subarray(start, end));
    }
    if (parts.length > 0)
      located.set(id, parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts));
  }
  return located;
}

/** The Exif item starts with a 4-byte offset to the TIFF header (usually skipping "Exif\0\0"). */
function tiffInExifItem(data: Uint8Array): Uint8Array | null {
  const declared = 4 + u32(data, 0);
  const candidates = [declared, 4, 10];
  for (const at of candidates) if (isTiffHeader(data, at)) return data.subarray(at);
  for (let at = 0; at < Math.min(64, data.length - 4); at++)
    if (isTiffHeader(data, at)) return data.subarray(at);
  return null;
}

function canonCmtBoxes(bytes: Uint8Array, moov: Box): Uint8Array[] {
  for (const box of childBoxes(bytes, moov.start, moov.end)) {
    if (box.type !== 'uuid' || hex(bytes, box.start, 16) !== CANON_METADATA_UUID) continue;
    const cmt = childBoxes(bytes, box.start + 16, box.end).filter((b) => /^CMT[124]$/.test(b.type));
    return cmt
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((b) => bytes.subarray(b.start, b.end))
      .filter((blob) => isTiffHeader(blob, 0));
  }
  return [];
}

function isTiffHeader(b: Uint8Array, at: number): boolean {
  const s = ascii(b, at, 4);
  return s === 'II*\0' || s === 'MM\0*';
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset < 0 || offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function hex(bytes: Uint8Array, offset: number, length: number): string {
  return Buffer.from(bytes.subarray(offset, offset + length)).toString('hex');
}

const u16 = (b: Uint8Array, o: number): number =>
  o + 2 <= b.length ? ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0) : 0;
const u32 = (b: Uint8Array, o: number): number => (o + 4 <= b.length ? u16(b, o) * 65536 + u16(b, o + 2) : 0);
const u64 = (b: Uint8Array, o: number): number => u32(b, o) * 2 ** 32 + u32(b, o + 4);
