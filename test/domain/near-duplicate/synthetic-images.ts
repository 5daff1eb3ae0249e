import type { GrayImage } from '../../../src/domain/near-duplicate/index.js';

/**
 * Photo-like test pictures drawn in plain JS, and the edits a library sees, done the way image tools do
 * them (bilinear resampling, area averaging). Deterministic: every picture comes from a seed.
 */

export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Shape {
  kind: 'box' | 'disc' | 'bar';
  x: number;
  y: number;
  size: number;
  angle: number;
  value: number;
}

/** A scene: soft background, a dozen shapes, a few thin bars, fine texture. `moved` shifts some shapes. */
export function drawScene(seed: number, width = 480, height = 360, moved = 0): Plane {
  const next = random(seed);
  const shapes: Shape[] = Array.from({ length: 14 }, (_, i) => ({
    kind: i % 5 === 4 ? 'bar' : i % 2 ? 'disc' : 'box',
    x: next() + (i < 4 ? moved : 0),
    y: next(),
    size: 0.04 + next() * 0.14,
    angle: next() * Math.PI,
    value: 30 + next() * 200,
  }));
  const [gx, gy, fx, fy, phase] = [next() - 0.5, next() - 0.5, 3 + next() * 9, 3 + next() * 9, next() * 6];
  const data = new Float32Array(width * height);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let sum = 0;
      // 2×2 supersampling: edges are antialiased like a camera's.
      for (const [ox, oy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        sum += sceneValue((px + ox) / width, (py + oy) / height, shapes, gx, gy, fx, fy, phase);
      }
      data[py * width + px] = sum / 4;
    }
  }
  return { width, height, data };
}

function sceneValue(
  u: number,
  v: number,
  shapes: Shape[],
  gx: number,
  gy: number,
  fx: number,
  fy: number,
  phase: number,
): number {
  let value = 120 + 80 * (gx * u + gy * v) + 12 * Math.sin(fx * u * 6.28 + phase) * Math.cos(fy * v * 6.28);
  for (const s of shapes) {
    const dx = u - s.x;
    const dy = (v - s.y) * 0.75;
    const along = dx * Math.cos(s.angle) + dy * Math.sin(s.angle);
    const across = -dx * Math.sin(s.angle) + dy * Math.cos(s.angle);
    const inside =
      s.kind === 'disc'
        ? Math.hypot(dx, dy) < s.size
        : s.kind === 'box'
          ? Math.abs(along) < s.size && Math.abs(across) < s.size * 0.6
          : Math.abs(along) < s.size * 2 && Math.abs(across) < 0.006;
    if (inside) value = s.value;
  }
  return value + 6 * Math.sin(u * 173 + v * 91) * Math.sin(v * 157 - u * 37);
}

export function toGray(plane: Plane): GrayImage {
  const data = new Uint8Array(plane.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(plane.data[i] ?? 0)));
  return { width: plane.width, height: plane.height, data };
}

export function bilinear(plane: Plane, x: number, y: number): number {
  const cx = Math.min(plane.width - 1, Math.max(0, x));
  const cy = Math.min(plane.height - 1, Math.max(0, y));
  const x0 = Math.min(plane.width - 2, Math.floor(cx));
  const y0 = Math.min(plane.height - 2, Math.floor(cy));
  const dx = cx - x0;
  const dy = cy - y0;
  const at = (xx: number, yy: number): number => plane.data[yy * plane.width + xx] ?? 0;
  return (
    (at(x0, y0) * (1 - dx) + at(x0 + 1, y0) * dx) * (1 - dy) +
    (at(x0, y0 + 1) * (1 - dx) + at(x0 + 1, y0 + 1) * dx) * dy
  );
}

/** Output pixel (X, Y) of a `width`×`height` result takes the source at `source(X, Y)` (pixel centres). */
export function remap(
  plane: Plane,
  width: number,
  height: number,
  source: (x: number, y: number) => [number, number],
): Plane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x + 0.5, y + 0.5);
      data[y * width + x] = bilinear(plane, sx - 0.5, sy - 0.5);
    }
  }
  return { width, height, data };
}

/** Keeps the `fraction`-sized window at (fx, fy) ∈ [0,1]² of the free room, rescaled to `width`. */
export function crop(plane: Plane, fraction: number, fx: number, fy: number, width = plane.width): Plane {
  const w = plane.width * fraction;
  const h = plane.height * fraction;
  const left = (plane.width - w) * fx;
  const top = (plane.height - h) * fy;
  const height = Math.round((width * h) / w);
  return remap(plane, width, height, (x, y) => [left + (x * w) / width, top + (y * h) / height]);
}

/** Rotates by `degrees` about the centre and zooms just enough to hide the corners ("straighten"). */
export function straighten(plane: Plane, degrees: number): Plane {
  const angle = (degrees * Math.PI) / 180;
  const ratio = Math.max(plane.width / plane.height, plane.height / plane.width);
  const zoom = Math.cos(Math.abs(angle)) + ratio * Math.sin(Math.abs(angle));
  const cx = plane.width / 2;
  const cy = plane.height / 2;
  return remap(plane, plane.width, plane.height, (x, y) => {
    const dx = (x - cx) / zoom;
    const dy = (y - cy) / zoom;
    return [
      cx + dx * Math.cos(angle) - dy * Math.sin(angle),
      cy + dx * Math.sin(angle) + dy * Math.cos(angle),
    ];
  });
}

export function rotate90(plane: Plane): Plane {
  return remap(plane, plane.height, plane.width, (x, y) => [y, plane.height - x]);
}

export function mirror(plane: Plane): Plane {
  return remap(plane, plane.width, plane.height, (x, y) => [plane.width - x, y]);
}

export function resize(plane: Plane, width: number, height: number): Plane {
  return remap(plane, width, height, (x, y) => [(x * plane.width) / width, (y * plane.height) / height]);
}

export function mapValues(plane: Plane, f: (value: number, index: number) => number): Plane {
  return { ...plane, data: plane.data.map((value, index) => f(value, index)) };
}

/** 3×3 box blur: the softening of a resize or strong JPEG. */
export function blur(plane: Plane): Plane {
  const { width, height } = plane;
  return mapValues(plane, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    let sum = 0;
    let count = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        sum += plane.data[yy * width + xx] ?? 0;
        count++;
      }
    }
    return sum / count;
  });
}

/** Seeded uniform noise of ± `amplitude`. */
export function addNoise(plane: Plane, amplitude: number, seed: number): Plane {
  const next = random(seed);
  return mapValues(plane, (value) => value + (next() * 2 - 1) * amplitude);
}

/** A caption in the lower right: rows of bright glyph-like blocks with dark outlines, ≈4% of the frame. */
export function caption(plane: Plane): Plane {
  const { width, height } = plane;
  const top = Math.round(height * 0.88);
  const bottom = Math.round(height * 0.94);
  const left = Math.round(width * 0.3);
  const right = Math.round(width * 0.96);
  return mapValues(plane, (value, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    if (y < top || y >= bottom || x < left || x >= right) return value;
    const glyph = Math.floor((x - left) / 7) % 4 !== 3 && (x + 2 * y) % 5 !== 0;
    return glyph ? 250 : 20;
  });
}
