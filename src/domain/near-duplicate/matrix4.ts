/** The 4×4 linear algebra of one ECC step (row-major Float64Arrays). */

export function dot4(x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < 4; k++) sum += (x[k] as number) * (y[k] as number);
  return sum;
}

export function multiply4(matrix: Float64Array, vector: Float64Array): Float64Array {
  const out = new Float64Array(4);
  for (let r = 0; r < 4; r++) {
    let sum = 0;
    for (let c = 0; c < 4; c++) sum += (matrix[r * 4 + c] as number) * (vector[c] as number);
    out[r] = sum;
  }
  return out;
}

/** Gauss–Jordan inverse with partial pivoting; null when (nearly) singular. */
export function invert4(matrix: Float64Array): Float64Array | null {
  const a = Float64Array.from(matrix);
  const inverse = new Float64Array(16);
  for (let i = 0; i < 4; i++) inverse[i * 5] = 1;
  for (let column = 0; column < 4; column++) {
    let pivot = column;
    for (let r = column + 1; r < 4; r++) {
      if (Math.abs(a[r * 4 + column] as number) > Math.abs(a[pivot * 4 + column] as number)) pivot = r;
    }
    const pivotValue = a[pivot * 4 + column] as number;
    if (Math.abs(pivotValue) < 1e-12) return null;
    swapRows(a, column, pivot);
    swapRows(inverse, column, pivot);
    for (let c = 0; c < 4; c++) {
      a[column * 4 + c] = (a[column * 4 + c] as number) / pivotValue;
      inverse[column * 4 + c] = (inverse[column * 4 + c] as number) / pivotValue;
    }
    for (let r = 0; r < 4; r++) {
      const factor = a[r * 4 + column] as number;
      if (r === column || factor === 0) continue;
      for (let c = 0; c < 4; c++) {
        a[r * 4 + c] = (a[r * 4 + c] as number) - factor * (a[column * 4 + c] as number);
        inverse[r * 4 + c] = (inverse[r * 4 + c] as number) - factor * (inverse[column * 4 + c] as number);
      }
    }
  }
  return inverse;
}

function swapRows(matrix: Float64Array, r1: number, r2: number): void {
  if (r1 === r2) return;
  for (let c = 0; c < 4; c++) {
    const value = matrix[r1 * 4 + c] as number;
    matrix[r1 * 4 + c] = matrix[r2 * 4 + c] as number;
    matrix[r2 * 4 + c] = value;
  }
}
