import { describe, expect, it } from 'vitest';
import { fitted, MAX_SCALE, panBy, zoomAt, zoomStep, zoomTransform } from '../src/review/sync-zoom';

describe('synchronised zoom and pan', () => {
  it('keeps the point under the cursor in place while zooming', () => {
    const z = zoomAt(fitted, 2, 0.25, -0.1);
    // The image point under the cursor was at 0.25 before; after scaling it must stay there.
    const imagePointBefore = (0.25 - fitted.x) / fitted.scale;
    expect(z.x + imagePointBefore * z.scale).toBeCloseTo(0.25);
    expect(z.scale).toBe(2);
  });

  it('never zooms out beyond fit nor in beyond the maximum', () => {
    expect(zoomAt(fitted, 0.5)).toEqual(fitted);
    let z = fitted;
    for (let i = 0; i < 20; i++) z = zoomStep(z, 'in');
    expect(z.scale).toBe(MAX_SCALE);
    expect(zoomStep(z, 'reset')).toEqual(fitted);
  });

  it('does not pan a fitted image, and limits panning to the zoomed overhang', () => {
    expect(panBy(fitted, 0.3, 0.3)).toEqual(fitted);
    const z = panBy({ scale: 3, x: 0, y: 0 }, 5, -5);
    expect(z).toEqual({ scale: 3, x: 1, y: -1 });
  });

  it('expresses the view as one CSS transform applied to every pane', () => {
    expect(zoomTransform({ scale: 2, x: 0.1, y: -0.25 })).toBe('translate(10.00%, -25.00%) scale(2)');
  });
});
