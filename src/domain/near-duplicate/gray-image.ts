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
  const columnFootprints = axisFootprints(region.x, cellWidth, columns, image.width);
  const rowFootprints = axisFootprints(region.y, cellHeight, rows, image.height);
  const out = new Float32Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    const rowFootprint = rowFootprints[row] as Footprint;
    for (let k = 0; k < rowFootprint.weights.length; k++) {
      const weightY = rowFootprint.weights[k] as number;
      const line = (rowFootprint.first + k) * image.width;
      for (let column = 0; column < columns; column++) {
        const footprint = columnFootprints[column] as Footprint;
        let sum = 0;
        for (let j = 0; j < footprint.weights.length; j++) {
          sum += (image.data[line + footprint.first + j] as number) * (footprint.weights[j] as number);
        }
        out[row * columns + column] = (out[row * columns + column] as number) + sum * weightY;
      }
    }
    for (let column = 0; column < columns; column++) {
      const area = rowFootprint.total * (columnFootprints[column] as Footprint).total;
      out[row * columns + column] = (out[row * columns + column] as number) / area;
    }
  }
  return out;
}

interface Footprint {
  /** First source index the cell touches. */
  readonly first: number;
  /** Overlap of the cell with each source pixel from `first` on. */
  readonly weights: Float32Array;
  readonly total: number;
}

/** Per output cell along one axis: which source pixels it covers and by how much (edges clamped). */
function axisFootprints(start: number, cell: number, count: number, limit: number): Footprint[] {
  return Array.from({ length: count }, (_, index) => {
    const from = Math.max(0, start + index * cell);
    const to = Math.min(limit, start + (index + 1) * cell);
    const first = Math.floor(from);
    const weights = new Float32Array(Math.max(1, Math.ceil(to) - first));
    let total = 0;
    for (let k = 0; k < weights.length; k++) {
      const weight = Math.max(0, Math.min(first + k + 1, to) - Math.max(first + k, from));
      weights[k] = weight;
      total += weight;
    }
    return { first: Math.min(first, limit - weights.length), weights, total: total > 0 ? total : 1 };
  });
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
  return Uint8Array.from(grid, (value) => Math.round((value - low) * scale));
}
