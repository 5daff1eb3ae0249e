import { collectIfds, TiffReader, type TiffIfd } from './tiff-reader.js';

/**
 * Last-resort picture for DNGs without an embedded preview: a half-size demosaic of an *uncompressed
 * 16-bit* Bayer CFA image. Each 2×2 CFA cell becomes one RGB pixel (R, mean of the two Gs, B), scaled
 * by BlackLevel/WhiteLevel and AsShotNeutral white balance, then sRGB-gamma encoded. No colour matrix,
 * no noise reduction: good enough for a thumbnail, a perceptual hash and sharpness/exposure metrics.
 * Anything else (compressed, tiled, other bit depths, non-2×2 patterns) returns null.
 */

export interface RgbRaster {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  cfaRepeatPatternDim: 33421,
  cfaPattern: 33422,
  blackLevel: 50714,
  whiteLevel: 50717,
  asShotNeutral: 50728,
} as const;
const PHOTOMETRIC_CFA = 32803;

export function decodeUncompressedCfaDng(bytes: Uint8Array): RgbRaster | null {
  try {
    const reader = TiffReader.at(bytes);
    if (!reader) return null;
    for (const ifd of collectIfds(reader)) {
      const raster = decodeCfaIfd(reader, ifd);
      if (raster) return raster;
    }
    return null;
  } catch {
    return null;
  }
}

function decodeCfaIfd(reader: TiffReader, { entries }: TiffIfd): RgbRaster | null {
  const num = (tag: number): number | null => reader.number(entries.get(tag));
  if (num(TAG.photometric) !== PHOTOMETRIC_CFA || num(TAG.compression) !== 1) return null;
  if (num(TAG.bitsPerSample) !== 16 || (num(TAG.samplesPerPixel) ?? 1) !== 1) return null;
  const width = num(TAG.width);
  const height = num(TAG.height);
  const pattern = reader.numbers(entries.get(TAG.cfaPattern));
  const patternDim = reader.numbers(entries.get(TAG.cfaRepeatPatternDim)) ?? [2, 2];
  const strips = reader.numbers(entries.get(TAG.stripOffsets));
  const stripCounts = reader.numbers(entries.get(TAG.stripByteCounts));
  if (!width || !height || width < 2 || height < 2 || !strips || !stripCounts) return null;
  if (patternDim[0] !== 2 || patternDim[1] !== 2 || pattern?.length !== 4) return null;
  const colourAt = pattern.map((c) => (c === 0 || c === 1 || c === 2 ? c : -1));
  if (colourAt.includes(-1) || colourAt.filter((c) => c === 1).length !== 2) return null;

  const rowsPerStrip = Math.min(num(TAG.rowsPerStrip) ?? height, height);
  const rowBytes = width * 2;
  const rowOffset = (row: number): number | null => {
    const strip = Math.floor(row / rowsPerStrip);
    const start = strips[strip];
    const count = stripCounts[strip];
    if (start === undefined || count === undefined) return null;
    const within = (row - strip * rowsPerStrip) * rowBytes;
    const offset = reader.absolute(start) + within;
    return within + rowBytes <= count && offset + rowBytes <= reader.length ? offset : null;
  };

  const black = num(TAG.blackLevel) ?? 0;
  const white = num(TAG.whiteLevel) ?? 65535;
  if (white <= black || white > 65535) return null;
  const gains = whiteBalanceGains(reader.numbers(entries.get(TAG.asShotNeutral)));
  const [lutR, lutG, lutB] = gains.map((gain) => rawToSrgbLut(black, white, gain)) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const red = colourAt.indexOf(0);
  const blue = colourAt.indexOf(2);
  const [green1, green2] = [0, 1, 2, 3].filter((cell) => colourAt[cell] === 1) as [number, number];

  const outWidth = width >> 1;
  const outHeight = height >> 1;
  const out = new Uint8Array(outWidth * outHeight * 3);
  const scratch = [new Uint16Array(width), new Uint16Array(width)];
  const rows: Uint16Array[] = [];
  for (let y = 0; y < outHeight; y++) {
    for (const half of [0, 1]) {
      const offset = rowOffset(2 * y + half);
      if (offset === null) return null;
      rows[half] = readRow(reader, offset, scratch[half] as Uint16Array);
    }
    // Cell c of the 2×2 pattern is row c >> 1, column c & 1.
    const at = (cell: number, x: number): number =>
      (rows[cell >> 1] as Uint16Array)[2 * x + (cell & 1)] as number;
    for (let x = 0, o = y * outWidth * 3; x < outWidth; x++, o += 3) {
      out[o] = lutR[at(red, x)] as number;
      out[o + 1] = lutG[(at(green1, x) + at(green2, x)) >> 1] as number;
      out[o + 2] = lutB[at(blue, x)] as number;
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels: 3 };
}

/** A row of samples: a view on the file when it is little-endian and aligned, else a converted copy. */
function readRow(reader: TiffReader, offset: number, scratch: Uint16Array): Uint16Array {
  const start = reader.bytes.byteOffset + offset;
  if (reader.littleEndian && start % 2 === 0)
    return new Uint16Array(reader.bytes.buffer, start, scratch.length);
  const view = new DataView(reader.bytes.buffer, start, scratch.length * 2);
  for (let x = 0; x < scratch.length; x++) scratch[x] = view.getUint16(x * 2, reader.littleEndian);
  return scratch;
}

/** AsShotNeutral is the camera-space colour of neutral grey; dividing by it (relative to green) balances white. */
function whiteBalanceGains(neutral: number[] | null): [number, number, number] {
  if (neutral?.length !== 3 || neutral.some((n) => !(n > 0))) return [1, 1, 1];
  const [r, g, b] = neutral as [number, number, number];
  return [g / r, 1, g / b];
}

/** Raw sample → 8-bit sRGB for one channel: black/white scaling, white-balance gain, then the sRGB curve. */
function rawToSrgbLut(black: number, white: number, gain: number): Uint8Array {
  const lut = new Uint8Array(65536).fill(255);
  for (let v = 0; v <= white; v++) {
    const c = Math.min(1, Math.max(0, ((v - black) * gain) / (white - black)));
    lut[v] = Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055));
  }
  return lut;
}
