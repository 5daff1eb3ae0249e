import type { Raster } from './raster-ops.js';

/**
 * Minimal BMP decoder (sharp's prebuilt libvips has no BMP loader): uncompressed 1/4/8-bit palette,
 * 24-bit, and 16/32-bit with BI_RGB or BI_BITFIELDS masks; bottom-up or top-down rows. RLE-compressed
 * and embedded JPEG/PNG bitmaps are not handled. Returns null for anything it cannot read.
 */

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const MAX_PIXELS = 256 * 1024 * 1024;

export function decodeBmp(bytes: Uint8Array): Raster | null {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => (o + 2 <= bytes.length ? view.getUint16(o, true) : 0);
  const u32 = (o: number): number => (o + 4 <= bytes.length ? view.getUint32(o, true) : 0);
  const i32 = (o: number): number => (o + 4 <= bytes.length ? view.getInt32(o, true) : 0);

  const pixelOffset = u32(10);
  const headerSize = u32(14);
  const core = headerSize === 12;
  const width = core ? u16(18) : i32(18);
  const signedHeight = core ? u16(20) : i32(22);
  const bitCount = core ? u16(24) : u16(28);
  const compression = core ? BI_RGB : u32(30);
  const height = Math.abs(signedHeight);
  const topDown = signedHeight < 0;
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) return null;

  const masks = channelMasks(bitCount, compression, headerSize, u32);
  if (!masks && bitCount > 8) return null;
  if (bitCount <= 8 && compression !== BI_RGB) return null;
  const palette = bitCount <= 8 ? readPalette(bytes, 14 + headerSize, core ? 3 : 4, 1 << bitCount) : null;

  const stride = Math.ceil((width * bitCount) / 32) * 4;
  if (pixelOffset + stride * height > bytes.length) return null;
  const hasAlpha = masks !== null && masks[3] !== 0;
  const channels = hasAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * channels);

  for (let row = 0; row < height; row++) {
    const src = pixelOffset + (topDown ? row : height - 1 - row) * stride;
    for (let x = 0; x < width; x++) {
      const o = (row * width + x) * channels;
      if (palette) {
        const bitPos = x * bitCount;
        const byte = bytes[src + (bitPos >> 3)] as number;
        const index = (byte >> (8 - bitCount - (bitPos & 7))) & ((1 << bitCount) - 1);
        out.set(palette.subarray(index * 3, index * 3 + 3), o);
      } else if (masks) {
        const p = src + x * (bitCount >> 3);
        const value =
          bitCount === 32
            ? u32(p)
            : bitCount === 24
              ? (bytes[p] as number) | ((bytes[p + 1] as number) << 8) | ((bytes[p + 2] as number) << 16)
              : u16(p);
        for (let c = 0; c < channels; c++) out[o + c] = extract(value, masks[c] as number);
      }
    }
  }
  return { data: out, width, height, channels };
}

/** R, G, B, A masks; 24-bit and BI_RGB 16/32-bit use the fixed layouts (BI_RGB 32-bit alpha is ignored). */
function channelMasks(
  bitCount: number,
  compression: number,
  headerSize: number,
  u32: (o: number) => number,
): [number, number, number, number] | null {
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    if (bitCount !== 16 && bitCount !== 32) return null;
    const alpha = headerSize >= 56 || compression === BI_ALPHABITFIELDS ? u32(66) : 0;
    return [u32(54), u32(58), u32(62), alpha];
  }
  if (compression !== BI_RGB) return null;
  if (bitCount === 24 || bitCount === 32) return [0xff0000, 0x00ff00, 0x0000ff, 0];
  if (bitCount === 16) return [0x7c00, 0x03e0, 0x001f, 0];
  return null;
}

function extract(value: number, mask: number): number {
  if (mask === 0) return 255;
  const unsignedMask = mask >>> 0;
  let shift = 0;
  while (((unsignedMask >>> shift) & 1) === 0) shift++;
  const max = unsignedMask >>> shift;
  return Math.round((((value >>> 0) & unsignedMask) >>> shift) * (255 / max));
}

/** Palette entries are stored B, G, R(, reserved); returned as packed RGB triples. */
function readPalette(bytes: Uint8Array, start: number, entrySize: number, entries: number): Uint8Array {
  const rgb = new Uint8Array(entries * 3);
  for (let i = 0; i < entries; i++) {
    const o = start + i * entrySize;
    rgb[i * 3] = bytes[o + 2] ?? 0;
    rgb[i * 3 + 1] = bytes[o + 1] ?? 0;
    rgb[i * 3 + 2] = bytes[o] ?? 0;
  }
  return rgb;
}
