/**
 * The eight dihedral transforms of a picture: the four quarter-turn rotations, each with or without a
 * mirror. They cover physical 90/180/270° rotation, a mis-applied EXIF orientation and mirrored
 * (selfie-style) copies. Each is "optionally transpose, then optionally mirror each axis", which is how
 * both square pixel grids and DCT coefficients are transformed below.
 */

export const DIHEDRAL_TRANSFORMS = [
  'identity',
  'rotate90',
  'rotate180',
  'rotate270',
  'mirror',
  'flipVertical',
  'transpose',
  'transverse',
] as const;

/** A dihedral transform; angles are clockwise, `mirror` is left–right. */
export type DihedralTransform = (typeof DIHEDRAL_TRANSFORMS)[number];

interface DihedralSteps {
  /** Swap the axes first (output x reads input y). */
  readonly swapAxes: boolean;
  /** Then mirror the output's x axis. */
  readonly flipX: boolean;
  /** Then mirror the output's y axis. */
  readonly flipY: boolean;
}

const STEPS: Record<DihedralTransform, DihedralSteps> = {
  identity: { swapAxes: false, flipX: false, flipY: false },
  rotate90: { swapAxes: true, flipX: true, flipY: false },
  rotate180: { swapAxes: false, flipX: true, flipY: true },
  rotate270: { swapAxes: true, flipX: false, flipY: true },
  mirror: { swapAxes: false, flipX: true, flipY: false },
  flipVertical: { swapAxes: false, flipX: false, flipY: true },
  transpose: { swapAxes: true, flipX: false, flipY: false },
  transverse: { swapAxes: true, flipX: true, flipY: true },
};

export function dihedralSteps(transform: DihedralTransform): DihedralSteps {
  return STEPS[transform];
}

export function isDihedralTransform(name: string): name is DihedralTransform {
  return Object.hasOwn(STEPS, name);
}

/** The transform that undoes `transform` (only the quarter turns are not their own inverse). */
export function inverseTransform(transform: DihedralTransform): DihedralTransform {
  if (transform === 'rotate90') return 'rotate270';
  if (transform === 'rotate270') return 'rotate90';
  return transform;
}

/** Whether the transform turns a landscape picture into a portrait one. */
export function swapsAxes(transform: DihedralTransform): boolean {
  return STEPS[transform].swapAxes;
}

/**
 * Applies `transform` to a square `size`×`size` row-major grid. Output pixel (X, Y) reads input pixel
 * (x, y) where (sx, sy) = (X or size−1−X, Y or size−1−Y) and (x, y) = swapAxes ? (sy, sx) : (sx, sy).
 */
export function transformSquare<T extends Float32Array | Uint8Array | Float64Array>(
  grid: T,
  size: number,
  transform: DihedralTransform,
  output: T,
): T {
  const { swapAxes: swap, flipX, flipY } = STEPS[transform];
  const last = size - 1;
  for (let outY = 0; outY < size; outY++) {
    const sy = flipY ? last - outY : outY;
    for (let outX = 0; outX < size; outX++) {
      const sx = flipX ? last - outX : outX;
      const from = swap ? sx * size + sy : sy * size + sx;
      output[outY * size + outX] = grid[from] as number;
    }
  }
  return output;
}
