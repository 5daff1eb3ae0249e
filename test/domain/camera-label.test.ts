import { describe, expect, it } from 'vitest';
import { cameraLabel } from '../../src/domain/camera-label.js';

describe('cameraLabel (the compare table and the viewer name a camera the same way)', () => {
  it('does not repeat the make when the model starts with it', () => {
    expect(cameraLabel('Canon', 'Canon EOS 80D')).toBe('Canon EOS 80D');
    expect(cameraLabel('NIKON CORPORATION', 'NIKON D750')).toBe('NIKON D750');
  });

  it('joins make and model when the model does not name the maker', () => {
    expect(cameraLabel('FUJIFILM', 'X-T5')).toBe('FUJIFILM X-T5');
  });

  it('uses whichever is present, and null for neither', () => {
    expect(cameraLabel(null, 'iPhone 15')).toBe('iPhone 15');
    expect(cameraLabel('Apple', ' ')).toBe('Apple');
    expect(cameraLabel(null, null)).toBeNull();
  });
});
