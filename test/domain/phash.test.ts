import { describe, expect, it } from 'vitest';
import { hammingDistanceHex, phashFromGray32, PHASH_INPUT_SIZE } from '../../src/domain/phash.js';

const N = PHASH_INPUT_SIZE;

function pattern(f: (x: number, y: number) => number): Float64Array {
  const out = new Float64Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) out[y * N + x] = f(x, y);
  return out;
}

const blobs = pattern(
  (x, y) => 128 + 60 * Math.sin(x / 3) * Math.cos(y / 5) + 40 * Math.cos((x + 2 * y) / 7),
);
const other = pattern(
  (x, y) => 128 + 70 * Math.cos(x / 2.2 + 1) * Math.sin(y / 2.7) - 30 * Math.sin((3 * x - y) / 5),
);

describe('phashFromGray32', () => {
  it('returns 16 lowercase hex chars with half the bits set (median threshold)', () => {
    const hash = phashFromGray32(blobs);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const ones = BigInt(`0x${hash}`).toString(2).replace(/0/g, '').length;
    expect(ones).toBe(32);
  });

  it('ignores a uniform brightness shift and contrast change (DC excluded, median threshold)', () => {
    const brighter = blobs.map((v) => v * 0.8 + 30);
    expect(phashFromGray32(brighter)).toBe(phashFromGray32(blobs));
  });

  it('barely moves under small noise and differs a lot for another picture', () => {
    let seed = 7;
    const noise = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 6;
    const noisy = blobs.map((v) => v + noise());
    expect(hammingDistanceHex(phashFromGray32(noisy), phashFromGray32(blobs))).toBeLessThanOrEqual(4);
    expect(hammingDistanceHex(phashFromGray32(other), phashFromGray32(blobs))).toBeGreaterThan(20);
  });

  it('rejects input of the wrong size', () => {
    expect(() => phashFromGray32(new Float64Array(10))).toThrow(RangeError);
  });
});

describe('hammingDistanceHex', () => {
  it('counts differing bits', () => {
    expect(hammingDistanceHex('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistanceHex('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistanceHex('f0f0000000000001', '0ff0000000000000')).toBe(9);
    expect(hammingDistanceHex('ABCD', 'abcd')).toBe(0);
  });

  it('rejects unequal lengths and non-hex input', () => {
    expect(() => hammingDistanceHex('00', '000')).toThrow(RangeError);
    expect(() => hammingDistanceHex('zz', '00')).toThrow(RangeError);
  });
});
