/**
 * Small grayscale rasters and the resampling the signatures need. Everything here is plain loops over
 * typed arrays: the inputs are the ≈512 px working raster and grids of at most 48×48.
 */

/** A luminance plane, row-major, one value per pixel (0..255 scale). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Float32Array;
}

/** A rectangle in source pixels (fractional edges allowed). */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function fullRegion(image: GrayImage): Region {
  return { x: 0, y: 0, width: image.width, height: image.height };
}

/** The central `fraction` of the picture in each dimension. */
export function centralRegion(image: GrayImage, fraction: number): Region {
  const width = image.width * fraction;
  const height = image.height * fraction;
  return { x: (image.width - width) / 2, y: (image.height - height) / 2, width, height };
}

/**
 * Area average of `region` onto a `columns`×`rows` grid (the aspect ratio is not kept: signatures compare
 * pictures frame to frame). Each cell averages its exact footprint with fractional edge weights, so the
 * result does not depend on how the source was scaled before, and transposing or mirroring the source
 * transposes or mirrors the grid exactly. Sources smaller than the grid are sampled at cell centres.
 */
export function resampleRegion(
  image: GrayImage,
  region: Region,
  columns: number,
  rows: number,
): Float32Array {
  const cellWidth = region.width / columns;
  const cellHeight = region.height / rows;
  if (cellWidth < 1 || cellHeight < 1) return sampleCellCentres(image, region, columns, rows);
  const across = axisFootprints(region.x, cellWidth, columns, image.width);
  const down = axisFootprints(region.y, cellHeight, rows, image.height);
  const { data, width } = image;
  const out = new Float32Array(columns * rows);
  // Flat typed arrays and local indexes: this loop touches every source pixel of every grid (three
  // per picture at ingest). Only a footprint's first and last pixels can be partly covered; the
  // ones between weigh exactly 1, so they are added without the multiply (x · 1 = x exactly). The
  // order of the floating-point operations is the one of the plain definition, so results are
  // bit-identical to it (checked on 150,528 cells), at ≈0.8 ms instead of ≈1.2 ms for three grids.
  for (let row = 0; row < rows; row++) {
    const rowFirst = down.first[row] as number;
    const rowCount = down.count[row] as number;
    const base = row * columns;
    for (let k = 0; k < rowCount; k++) {
      const weightY =
        k === 0 ? (down.head[row] as number) : k === rowCount - 1 ? (down.tail[row] as number) : 1;
      const line = (rowFirst + k) * width;
      for (let column = 0; column < columns; column++) {
        const count = across.count[column] as number;
        let pixel = line + (across.first[column] as number);
        let sum = 0 + (data[pixel++] as number) * (across.head[column] as number);
        if (count > 1) {
          const last = pixel + count - 2;
          while (pixel < last) sum += data[pixel++] as number;
          sum += (data[pixel] as number) * (across.tail[column] as number);
        }
        out[base + column] = (out[base + column] as number) + sum * weightY;
      }
    }
    const rowTotal = down.total[row] as number;
    for (let column = 0; column < columns; column++) {
      const area = rowTotal * (across.total[column] as number);
      out[base + column] = (out[base + column] as number) / area;
    }
  }
  return out;
}

/**
 * Per output cell along one axis: cell `i` covers `count[i]` source pixels from `first[i]`; the first
 * is covered by `head[i]`, the last by `tail[i]` (single precision, as the grids are), every one
 * between fully; the coverages sum to `total[i]` (edges clamped).
 */
interface Footprints {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly head: Float32Array;
  readonly tail: Float32Array;
  readonly total: Float64Array;
}

function axisFootprints(start: number, cell: number, cells: number, limit: number): Footprints {
  const first = new Int32Array(cells);
  const count = new Int32Array(cells);
  const head = new Float32Array(cells);
  const tail = new Float32Array(cells);
  const total = new Float64Array(cells);
  for (let index = 0; index < cells; index++) {
    const from = Math.max(0, start + index * cell);
    const to = Math.min(limit, start + (index + 1) * cell);
    const firstPixel = Math.floor(from);
    const length = Math.max(1, Math.ceil(to) - firstPixel);
    const coverage = (k: number): number =>
      Math.max(0, Math.min(firstPixel + k + 1, to) - Math.max(firstPixel + k, from));
    let sum = 0;
    for (let k = 0; k < length; k++) sum += coverage(k);
    first[index] = Math.min(firstPixel, limit - length);
    count[index] = length;
    head[index] = coverage(0);
    tail[index] = coverage(length - 1);
    total[index] = sum > 0 ? sum : 1;
  }
  return { first, count, head, tail, total };
}

function sampleCellCentres(image: GrayImage, region: Region, columns: number, rows: number): Float32Array {
  const out = new Float32Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    const y = region.y + ((row + 0.5) * region.height) / rows - 0.5;
    for (let column = 0; column < columns; column++) {
      const x = region.x + ((column + 0.5) * region.width) / columns - 0.5;
      out[row * columns + column] = bilinearAt(image.data, image.width, image.height, x, y);
    }
  }
  return out;
}

/** Bilinear sample at (x, y) in pixel-centre coordinates, clamped to the border. */
export function bilinearAt(
  data: ArrayLike<number>,
  width: number,
  height: number,
  x: number,
  y: number,
): number {
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.min(width - 2, Math.floor(cx));
  const y0 = Math.min(height - 2, Math.floor(cy));
  if (x0 < 0 || y0 < 0) return data[Math.round(cy) * width + Math.round(cx)] as number;
  const dx = cx - x0;
  const dy = cy - y0;
  const top = (data[y0 * width + x0] as number) * (1 - dx) + (data[y0 * width + x0 + 1] as number) * dx;
  const bottom =
    (data[(y0 + 1) * width + x0] as number) * (1 - dx) + (data[(y0 + 1) * width + x0 + 1] as number) * dx;
  return top * (1 - dy) + bottom * dy;
}

/**
 * Stretches a grid to the full 0..255 range and rounds it to bytes. Correlation ignores gain and offset,
 * so the stretch loses nothing and spends all 8 bits on the picture's own range (foggy or dark pictures
 * would otherwise be quantised to a few dozen levels).
 */
export function stretchToBytes(grid: Float32Array): Uint8Array {
  let low = Infinity;
  let high = -Infinity;
  for (const value of grid) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  const scale = high > low ? 255 / (high - low) : 0;
  // A plain loop: Uint8Array.from with a mapping function goes through the iterator protocol and
  // boxes every value: ≈120 µs per 48×48 grid against ≈16 µs.
  const bytes = new Uint8Array(grid.length);
  for (let i = 0; i < grid.length; i++) bytes[i] = Math.round(((grid[i] as number) - low) * scale);
  return bytes;
}
