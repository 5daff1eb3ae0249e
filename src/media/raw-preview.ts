import { collectIfds, TiffReader } from './tiff-reader.js';

/**
 * Finds the largest JPEG preview a camera embedded in its RAW file. Cameras always store one (often
 * full-size) so that their own screen can show the shot; decoding it is far cheaper than demosaicing.
 * Where we look:
 * - TIFF-based RAWs (CR2, NEF, ARW, DNG, PEF, ORF, RW2, IIQ, 3FR…): every IFD in the IFD0 chain and its
 *   SubIFDs, via JPEGInterchangeFormat/Length (513/514), single-strip JPEG-compressed images (259 = 6/7),
 *   and Panasonic's JpgFromRaw (tag 46).
 * - RAF: the JPEG offset/length in the Fujifilm header.
 * - CR3: the PRVW box (about 1620×1080) inside Canon's preview uuid box.
 * Every candidate must parse as a baseline/progressive JPEG (lossless-JPEG raw data is rejected);
 * the one with the most pixels wins. Never throws: garbage yields null.
 */

export interface EmbeddedPreview {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

const TAG = {
  compression: 259,
  stripOffsets: 273,
  stripByteCounts: 279,
  jpegOffset: 513,
  jpegLength: 514,
  panasonicJpgFromRaw: 46,
} as const;
const CR3_SEARCH_LIMIT = 16 * 1024 * 1024;

export function findLargestEmbeddedJpeg(bytes: Uint8Array): EmbeddedPreview | null {
  try {
    const ranges = [...rafRanges(bytes), ...cr3Ranges(bytes), ...tiffRanges(bytes)];
    let best: EmbeddedPreview | null = null;
    for (const [start, length] of ranges) {
      const candidate = asJpeg(bytes, start, length);
      if (!candidate) continue;
      const better =
        !best ||
        candidate.width * candidate.height > best.width * best.height ||
        (candidate.width * candidate.height === best.width * best.height &&
          candidate.jpeg.length > best.jpeg.length);
      if (better) best = candidate;
    }
    return best;
  } catch {
    return null;
  }
}

type Range = [start: number, length: number];

function tiffRanges(bytes: Uint8Array): Range[] {
  const reader = TiffReader.at(bytes);
  if (!reader) return [];
  const ranges: Range[] = [];
  for (const { entries } of collectIfds(reader)) {
    const jpegOffset = reader.number(entries.get(TAG.jpegOffset));
    const jpegLength = reader.number(entries.get(TAG.jpegLength));
    if (jpegOffset !== null && jpegLength !== null) ranges.push([reader.absolute(jpegOffset), jpegLength]);

    const compression = reader.number(entries.get(TAG.compression));
    const strips = reader.numbers(entries.get(TAG.stripOffsets));
    const counts = reader.numbers(entries.get(TAG.stripByteCounts));
    if ((compression === 6 || compression === 7) && strips?.length === 1 && counts?.length === 1) {
      ranges.push([reader.absolute(strips[0] as number), counts[0] as number]);
    }

    const panasonic = entries.get(TAG.panasonicJpgFromRaw);
    if (panasonic) ranges.push([panasonic.valueOffset, panasonic.count]);
  }
  return ranges;
}

function rafRanges(bytes: Uint8Array): Range[] {
  if (ascii(bytes, 0, 15) !== 'FUJIFILMCCD-RAW') return [];
  const offset = u32be(bytes, 84);
  const length = u32be(bytes, 88);
  return offset !== null && length !== null ? [[offset, length]] : [];
}

/** PRVW box: size, 'PRVW', a small header, then the JPEG up to the end of the box. */
function cr3Ranges(bytes: Uint8Array): Range[] {
  if (ascii(bytes, 4, 8) !== 'ftypcrx ') return [];
  const limit = Math.min(bytes.length, CR3_SEARCH_LIMIT) - 4;
  for (let i = 4; i < limit; i++) {
    if (bytes[i] !== 0x50 || ascii(bytes, i, 4) !== 'PRVW') continue;
    const boxStart = i - 4;
    const boxEnd = boxStart + (u32be(bytes, boxStart) ?? 0);
    for (let j = i + 4; j < Math.min(i + 64, boxEnd - 3); j++) {
      if (bytes[j] === 0xff && bytes[j + 1] === 0xd8 && bytes[j + 2] === 0xff) return [[j, boxEnd - j]];
    }
  }
  return [];
}

function asJpeg(bytes: Uint8Array, start: number, length: number): EmbeddedPreview | null {
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 4) return null;
  const end = Math.min(bytes.length, start + length);
  const jpeg = bytes.subarray(start, end);
  const size = decodableJpegFrameSize(jpeg);
  return size ? { jpeg, ...size } : null;
}

/** Frame size from the SOF marker; null if not a JPEG, or a lossless/arithmetic one libjpeg can't decode. */
export function decodableJpegFrameSize(jpeg: Uint8Array): { width: number; height: number } | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let pos = 2;
  for (let guard = 0; guard < 1000 && pos + 4 <= jpeg.length; guard++) {
    if (jpeg[pos] !== 0xff) return null;
    const marker = jpeg[pos + 1] as number;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    const segmentLength = u16be(jpeg, pos + 2);
    if (segmentLength === null || segmentLength < 2) return null;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) return null;
      const height = u16be(jpeg, pos + 5);
      const width = u16be(jpeg, pos + 7);
      return width && height ? { width, height } : null;
    }
    pos += 2 + segmentLength;
  }
  return null;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

const u16be = (b: Uint8Array, o: number): number | null =>
  o + 2 <= b.length ? ((b[o] as number) << 8) | (b[o + 1] as number) : null;
const u32be = (b: Uint8Array, o: number): number | null =>
  o + 4 <= b.length ? (u16be(b, o) as number) * 65536 + (u16be(b, o + 2) as number) : null;
