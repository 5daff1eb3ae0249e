/**
 * A small, bounds-checked TIFF IFD reader for the few structures we parse ourselves (RAW previews, DNG
 * CFA data, Apple maker notes). Every read that would leave the buffer returns null instead of throwing,
 * because these bytes come from arbitrary (possibly damaged) files.
 */

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Absolute offset in the buffer of the entry's value bytes. */
  valueOffset: number;
}

export interface TiffIfd {
  entries: Map<number, TiffEntry>;
  /** Absolute offset of the next IFD in the chain, or null. */
  next: number | null;
}

export const SUB_IFDS_TAG = 330;

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};
const MAX_ENTRIES_PER_IFD = 1000;
const MAX_VALUES = 1 << 20;

export class TiffReader {
  private readonly view: DataView;

  /** `base` is where the TIFF header starts; TIFF offsets are relative to it. */
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly base = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads the byte-order mark at `base` ('II' or 'MM'); the magic number is not checked (ORF/RW2 vary it). */
  static at(bytes: Uint8Array, base = 0): TiffReader | null {
    if (base + 8 > bytes.length) return null;
    const b0 = bytes[base];
    if (b0 !== bytes[base + 1] || (b0 !== 0x49 && b0 !== 0x4d)) return null;
    return new TiffReader(bytes, b0 === 0x49, base);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Absolute offset of IFD0. */
  firstIfdOffset(): number | null {
    const relative = this.u32(this.base + 4);
    return relative === null ? null : this.base + relative;
  }

  /** Converts a TIFF (base-relative) offset to an absolute one. */
  absolute(relativeOffset: number): number {
    return this.base + relativeOffset;
  }

  readIfd(offset: number): TiffIfd | null {
    const count = this.u16(offset);
    if (count === null || count === 0 || count > MAX_ENTRIES_PER_IFD) return null;
    if (offset + 2 + count * 12 > this.bytes.length) return null;
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const e = offset + 2 + i * 12;
      const tag = this.u16(e) ?? 0;
      const type = this.u16(e + 2) ?? 0;
      const entryCount = this.u32(e + 4) ?? 0;
      const size = (TYPE_SIZES[type] ?? 0) * entryCount;
      if (size === 0) continue;
      const valueOffset = size <= 4 ? e + 8 : this.base + (this.u32(e + 8) ?? 0);
      if (valueOffset + size > this.bytes.length) continue;
      entries.set(tag, { tag, type, count: entryCount, valueOffset });
    }
    const nextRelative = this.u32(offset + 2 + count * 12);
    const next = nextRelative ? this.base + nextRelative : null;
    return { entries, next };
  }

  /** Numeric values of an entry (rationals as quotients); null for non-numeric types or absurd counts. */
  numbers(entry: TiffEntry | undefined): number[] | null {
    if (!entry || entry.count > MAX_VALUES) return null;
    const size = TYPE_SIZES[entry.type] ?? 0;
    const out: number[] = [];
    for (let i = 0; i < entry.count; i++) {
      const value = this.numberAt(entry.type, entry.valueOffset + i * size);
      if (value === null) return null;
      out.push(value);
    }
    return out;
  }

  number(entry: TiffEntry | undefined): number | null {
    return entry ? this.numberAt(entry.type, entry.valueOffset) : null;
  }

  /** ASCII value without trailing NULs and whitespace; null when empty. */
  string(entry: TiffEntry | undefined): string | null {
    const bytes = this.bytesOf(entry);
    if (!bytes) return null;
    const end = bytes.indexOf(0);
    const text = Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end))
      .toString('latin1')
      .trim();
    return text.length > 0 ? text : null;
  }

  bytesOf(entry: TiffEntry | undefined): Uint8Array | null {
    if (!entry) return null;
    const size = (TYPE_SIZES[entry.type] ?? 0) * entry.count;
    return this.bytes.subarray(entry.valueOffset, entry.valueOffset + size);
  }

  u16(offset: number): number | null {
    return offset >= 0 && offset + 2 <= this.bytes.length
      ? this.view.getUint16(offset, this.littleEndian)
      : null;
  }

  u32(offset: number): number | null {
    return offset >= 0 && offset + 4 <= this.bytes.length
      ? this.view.getUint32(offset, this.littleEndian)
      : null;
  }

  private numberAt(type: number, offset: number): number | null {
    const size = TYPE_SIZES[type] ?? 0;
    if (offset < 0 || offset + size > this.bytes.length) return null;
    const v = this.view;
    const le = this.littleEndian;
    switch (type) {
      case 1:
      case 7:
        return v.getUint8(offset);
      case 6:
        return v.getInt8(offset);
      case 3:
        return v.getUint16(offset, le);
      case 8:
        return v.getInt16(offset, le);
      case 4:
      case 13:
        return v.getUint32(offset, le);
      case 9:
        return v.getInt32(offset, le);
      case 5:
        return quotient(v.getUint32(offset, le), v.getUint32(offset + 4, le));
      case 10:
        return quotient(v.getInt32(offset, le), v.getInt32(offset + 4, le));
      case 11:
        return v.getFloat32(offset, le);
      case 12:
        return v.getFloat64(offset, le);
      default:
        return null;
    }
  }
}

const quotient = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Visits IFD0, its chain and all SubIFDs (tag 330) once each; bounded against loops and garbage offsets. */
export function collectIfds(reader: TiffReader, maxIfds = 32): TiffIfd[] {
  const found: TiffIfd[] = [];
  const seen = new Set<number>();
  const pending: number[] = [];
  const first = reader.firstIfdOffset();
  if (first !== null) pending.push(first);
  while (pending.length > 0 && found.length < maxIfds) {
    const offset = pending.shift() as number;
    if (seen.has(offset)) continue;
    seen.add(offset);
    const ifd = reader.readIfd(offset);
    if (!ifd) continue;
    found.push(ifd);
    for (const sub of reader.numbers(ifd.entries.get(SUB_IFDS_TAG)) ?? []) pending.push(reader.absolute(sub));
    if (ifd.next !== null) pending.push(ifd.next);
  }
  return found;
}
