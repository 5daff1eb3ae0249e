/**
 * Writes small little-endian TIFF structures for tests (synthetic DNG/NEF-like RAWs, maker notes).
 * Values are laid out after each IFD; `blob` entries point at byte blocks placed after all IFDs.
 */
export type TiffValue =
  | { type: 1 | 3 | 4 | 5 | 10; values: number[] }
  | { type: 2; text: string }
  | { type: 7; bytes: Uint8Array }
  | { type: 4; blobs: number[] } // offsets of these blobs (StripOffsets, JPEGInterchangeFormat)
  | { type: 4; ifd: number }; // offset of ifds[ifd] (SubIFDs)

export interface TiffSpec {
  /** ifds[0] is IFD0; other IFDs are only reachable through `ifd` pointers (SubIFDs). */
  ifds: Map<number, TiffValue>[];
  blobs: Uint8Array[];
}

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 10: 8 };

function payload(v: TiffValue): { type: number; count: number; bytes: number } {
  if ('text' in v) return { type: 2, count: v.text.length + 1, bytes: v.text.length + 1 };
  if ('bytes' in v) return { type: 7, count: v.bytes.length, bytes: v.bytes.length };
  if ('values' in v)
    return { type: v.type, count: v.values.length, bytes: (SIZE[v.type] ?? 1) * v.values.length };
  if ('blobs' in v) return { type: 4, count: v.blobs.length, bytes: 4 * v.blobs.length };
  return { type: 4, count: 1, bytes: 4 };
}

const even = (n: number): number => n + (n & 1);

export function buildTiff(spec: TiffSpec): Buffer {
  const ifdOffsets: number[] = [];
  let pos = 8;
  for (const ifd of spec.ifds) {
    ifdOffsets.push(pos);
    pos += 2 + ifd.size * 12 + 4;
    for (const v of ifd.values()) if (payload(v).bytes > 4) pos += even(payload(v).bytes);
  }
  const blobOffsets = spec.blobs.map((b) => {
    const at = pos;
    pos += even(b.length);
    return at;
  });
  const out = Buffer.alloc(pos);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  spec.ifds.forEach((ifd, index) => {
    const start = ifdOffsets[index]!;
    let extra = start + 2 + ifd.size * 12 + 4;
    out.writeUInt16LE(ifd.size, start);
    [...ifd.entries()]
      .sort(([a], [b]) => a - b)
      .forEach(([tag, v], i) => {
        const e = start + 2 + i * 12;
        const { type, count, bytes } = payload(v);
        out.writeUInt16LE(tag, e);
        out.writeUInt16LE(type, e + 2);
        out.writeUInt32LE(count, e + 4);
        let at = e + 8;
        if (bytes > 4) {
          out.writeUInt32LE(extra, e + 8);
          at = extra;
          extra += even(bytes);
        }
        writeValue(out, at, v, blobOffsets, ifdOffsets);
      });
    out.writeUInt32LE(0, start + 2 + ifd.size * 12);
  });
  spec.blobs.forEach((b, i) => {
    out.set(b, blobOffsets[i]);
  });
  return out;
}

function writeValue(out: Buffer, at: number, v: TiffValue, blobOffsets: number[], ifds: number[]): void {
  if ('text' in v) out.write(`${v.text}\0`, at, 'latin1');
  else if ('bytes' in v) out.set(v.bytes, at);
  else if ('blobs' in v) v.blobs.forEach((b, i) => out.writeUInt32LE(blobOffsets[b]!, at + 4 * i));
  else if ('ifd' in v) out.writeUInt32LE(ifds[v.ifd]!, at);
  else {
    v.values.forEach((n, i) => {
      const o = at + i * (SIZE[v.type] ?? 1);
      if (v.type === 1) out.writeUInt8(n, o);
      else if (v.type === 3) out.writeUInt16LE(n, o);
      else if (v.type === 4) out.writeUInt32LE(n, o);
      else {
        out.writeInt32LE(Math.round(n * 10000), o);
        out.writeInt32LE(10000, o + 4);
      }
    });
  }
}

export const short = (...values: number[]): TiffValue => ({ type: 3, values });
export const long = (...values: number[]): TiffValue => ({ type: 4, values });
export const ascii = (text: string): TiffValue => ({ type: 2, text });
export const bytes = (...values: number[]): TiffValue => ({ type: 1, values });
export const rational = (...values: number[]): TiffValue => ({ type: 5, values });

/** An uncompressed 16-bit RGGB Bayer DNG whose linear values come from 8-bit sRGB `rgb` pixels. */
export function buildCfaDng(opts: {
  rgb: Uint8Array;
  width: number;
  height: number;
  orientation?: number;
  make?: string;
  model?: string;
  date?: string;
  whiteLevel?: number;
  rowsPerStrip?: number;
}): Buffer {
  const { rgb, width, height } = opts;
  const white = opts.whiteLevel ?? 4095;
  const linear = (v: number): number => {
    const c = v / 255;
    return Math.round(white * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  };
  const data = Buffer.alloc(width * height * 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const channel = y & 1 ? (x & 1 ? 2 : 1) : x & 1 ? 1 : 0;
      data.writeUInt16LE(linear(rgb[(y * width + x) * 3 + channel]!), (y * width + x) * 2);
    }
  }
  const rowsPerStrip = opts.rowsPerStrip ?? height;
  const strips = Math.ceil(height / rowsPerStrip);
  const blobs = Array.from({ length: strips }, (_, s) =>
    data.subarray(s * rowsPerStrip * width * 2, Math.min(height, (s + 1) * rowsPerStrip) * width * 2),
  );
  const ifd0 = new Map<number, TiffValue>([
    [254, long(0)],
    [256, long(width)],
    [257, long(height)],
    [258, short(16)],
    [259, short(1)],
    [262, short(32803)],
    [271, ascii(opts.make ?? 'Synthetic')],
    [272, ascii(opts.model ?? 'Bayer 1')],
    [274, short(opts.orientation ?? 1)],
    [277, short(1)],
    [278, long(rowsPerStrip)],
    [284, short(1)],
    [33421, short(2, 2)],
    [33422, bytes(0, 1, 1, 2)],
    [50706, bytes(1, 4, 0, 0)],
    [50717, long(white)],
    [50728, rational(1, 1, 1)],
  ]);
  if (opts.date) ifd0.set(36867, ascii(opts.date));
  ifd0.set(273, { type: 4, blobs: blobs.map((_, i) => i) });
  ifd0.set(279, long(...blobs.map((b) => b.length)));
  return buildTiff({ ifds: [ifd0], blobs });
}
