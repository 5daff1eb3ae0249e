/**
 * Colour of a picture, coarse: per cell of a COLOUR_GRID × COLOUR_GRID grid, the mean chroma
 * (R − Y, B − Y, signed, in 0..255 units). The luminance grids say whether two files show the same
 * picture; this says whether one of them was deliberately re-coloured — a black-and-white or sepia
 * conversion, a strong colour grade — which makes it a version of the picture, not a copy to remove.
 *
 * Every measure is global or per cell and relative to the picture's own colourfulness, so a crop, a
 * resize, a re-encode or a ±10 % brightness change (chroma scales with it) reads as the same colour.
 */

export const COLOUR_GRID = 4;
/** Bytes of a colour grid: two signed chroma bytes per cell. */
export const COLOUR_GRID_BYTES = COLOUR_GRID * COLOUR_GRID * 2;

/** 8-bit interleaved pixels (3 = RGB, 4 = RGBA; 1–2 channels are gray and have no colour). */
export interface ColourRaster {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** The colour grid of an upright raster: COLOUR_GRID_BYTES signed bytes (cr, cb per cell, row-major). */
export function computeColourGrid(raster: ColourRaster): Int8Array {
  const grid = new Int8Array(COLOUR_GRID_BYTES);
  const { data, width, height, channels } = raster;
  if (channels < 3 || width < 1 || height < 1) return grid;
  const sums = new Float64Array(COLOUR_GRID_BYTES);
  const counts = new Float64Array(COLOUR_GRID * COLOUR_GRID);
  // A sparse sample is plenty for cell means: about 64×64 points.
  const step = Math.max(1, Math.floor(Math.min(width, height) / 64));
  for (let y = 0; y < height; y += step) {
    const cy = Math.min(COLOUR_GRID - 1, Math.floor((y * COLOUR_GRID) / height));
    for (let x = 0; x < width; x += step) {
      const cx = Math.min(COLOUR_GRID - 1, Math.floor((x * COLOUR_GRID) / width));
      const o = (y * width + x) * channels;
      const r = data[o] as number;
      const g = data[o + 1] as number;
      const b = data[o + 2] as number;
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      const cell = cy * COLOUR_GRID + cx;
      sums[2 * cell] = (sums[2 * cell] as number) + (r - luma);
      sums[2 * cell + 1] = (sums[2 * cell + 1] as number) + (b - luma);
      counts[cell] = (counts[cell] as number) + 1;
    }
  }
  for (let cell = 0; cell < counts.length; cell++) {
    const n = Math.max(1, counts[cell] as number);
    for (const k of [0, 1]) {
      grid[2 * cell + k] = Math.max(-127, Math.min(127, Math.round((sums[2 * cell + k] as number) / n)));
    }
  }
  return grid;
}

export type ColourEdit = 'grayscale' | 'sepia' | 'colour-grade';

export const COLOUR_EDIT_THRESHOLDS = {
  /** A picture this colourful (mean chroma magnitude, 0..255 units) or more … */
  grayscaleSource: 4,
  /** … against one with no colour at all (at or below this), is a black-and-white conversion. */
  grayscaleChroma: 1.5,
  /** Below this colourfulness in both pictures, casts and saturation are not judged (noise). */
  minColourfulness: 6,
  /** Colourfulness ratio at or below this is a strong (de)saturation grade. */
  saturationShare: 0.55,
  /** Mean chroma vectors this far apart (share of the larger colourfulness) is a colour cast / grade. */
  castShift: 0.45,
  /** A cast whose edited picture has cells of nearly one hue (spread below this share) is sepia. */
  sepiaSpread: 0.35,
} as const;

interface ColourStats {
  /** Mean chroma magnitude over cells. */
  colourfulness: number;
  meanCr: number;
  meanCb: number;
  /** Mean distance of cells' chroma from the mean chroma, relative to colourfulness. */
  spread: number;
}

function statsOf(grid: Int8Array): ColourStats {
  const cells = grid.length / 2;
  let magnitude = 0;
  let cr = 0;
  let cb = 0;
  for (let c = 0; c < cells; c++) {
    const x = grid[2 * c] as number;
    const y = grid[2 * c + 1] as number;
    magnitude += Math.hypot(x, y);
    cr += x;
    cb += y;
  }
  const meanCr = cr / cells;
  const meanCb = cb / cells;
  let spread = 0;
  for (let c = 0; c < cells; c++)
    spread += Math.hypot((grid[2 * c] as number) - meanCr, (grid[2 * c + 1] as number) - meanCb);
  const colourfulness = magnitude / cells;
  return { colourfulness, meanCr, meanCb, spread: spread / cells / Math.max(1, colourfulness) };
}

/**
 * Whether one of two pictures (already verified to show the same scene) is a re-coloured version of
 * the other, and how; null when their colours agree (copies, re-encodes, resizes, crops) or when
 * either has no colour grid (signatures stored before it existed).
 */
export function colourEdit(
  a: Int8Array | undefined,
  b: Int8Array | undefined,
  t: typeof COLOUR_EDIT_THRESHOLDS = COLOUR_EDIT_THRESHOLDS,
): ColourEdit | null {
  if (!a || !b || a.length !== COLOUR_GRID_BYTES || b.length !== COLOUR_GRID_BYTES) return null;
  const sa = statsOf(a);
  const sb = statsOf(b);
  const [low, high] = sa.colourfulness <= sb.colourfulness ? [sa, sb] : [sb, sa];
  if (high.colourfulness >= t.grayscaleSource && low.colourfulness <= t.grayscaleChroma) return 'grayscale';
  if (high.colourfulness < t.minColourfulness) return null;
  const share = low.colourfulness / high.colourfulness;
  const shift = Math.hypot(sa.meanCr - sb.meanCr, sa.meanCb - sb.meanCb) / high.colourfulness;
  if (shift >= t.castShift) {
    const edited = sa.spread <= sb.spread ? sa : sb;
    return edited.spread <= t.sepiaSpread ? 'sepia' : 'colour-grade';
  }
  if (share <= t.saturationShare) return 'colour-grade';
  return null;
}
