/**
 * The zoom/pan shared by every image of a side-by-side compare: one view state, applied to all
 * panes, so the same detail is under the eye in each copy. Pan is in fractions of the pane size
 * so panes of different pixel sizes stay aligned.
 */
export interface ZoomState {
  scale: number;
  /** Offset of the image centre from the pane centre, as a fraction of the pane (x, y). */
  x: number;
  y: number;
}

export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
export const fitted: ZoomState = { scale: 1, x: 0, y: 0 };

/** The image may not be dragged so far that the pane shows empty space beside it. */
function clampPan(z: ZoomState): ZoomState {
  const limit = (z.scale - 1) / 2;
  const clamp = (v: number) => Math.min(limit, Math.max(-limit, v));
  return { scale: z.scale, x: clamp(z.x), y: clamp(z.y) };
}

/**
 * Zooms by `factor` keeping the point under the cursor fixed; (px, py) is the cursor position
 * as a fraction of the pane from its centre (-0.5..0.5).
 */
export function zoomAt(z: ZoomState, factor: number, px = 0, py = 0): ZoomState {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, z.scale * factor));
  const k = scale / z.scale;
  return clampPan({ scale, x: px - (px - z.x) * k, y: py - (py - z.y) * k });
}

/** Moves the image by (dx, dy) fractions of the pane. */
export function panBy(z: ZoomState, dx: number, dy: number): ZoomState {
  return clampPan({ scale: z.scale, x: z.x + dx, y: z.y + dy });
}

export function zoomStep(z: ZoomState, direction: 'in' | 'out' | 'reset'): ZoomState {
  if (direction === 'reset') return fitted;
  return zoomAt(z, direction === 'in' ? 1.5 : 1 / 1.5, 0, 0);
}

/** CSS transform of an image that fills its pane (translate percentages are of the pane size). */
export function zoomTransform(z: ZoomState): string {
  return `translate(${(z.x * 100).toFixed(2)}%, ${(z.y * 100).toFixed(2)}%) scale(${z.scale})`;
}
