import fs from 'node:fs/promises';

const CHUNK = 1 << 20;

/**
 * True when the two files have exactly the same bytes, read side by side in 1 MiB chunks. This is
 * what makes an exact-duplicate group "green" (safe to auto-fix): a hash match alone is not proof.
 */
export async function filesHaveSameBytes(a: string, b: string): Promise<boolean> {
  const [fa, fb] = await Promise.all([fs.open(a, 'r'), fs.open(b, 'r')]);
  try {
    const [sa, sb] = await Promise.all([fa.stat(), fb.stat()]);
    if (sa.size !== sb.size) return false;
    const bufA = Buffer.allocUnsafe(CHUNK);
    const bufB = Buffer.allocUnsafe(CHUNK);
    for (let pos = 0; pos < sa.size;) {
      const [ra, rb] = await Promise.all([fa.read(bufA, 0, CHUNK, pos), fb.read(bufB, 0, CHUNK, pos)]);
      if (ra.bytesRead !== rb.bytesRead || ra.bytesRead === 0)
        return ra.bytesRead === rb.bytesRead && pos >= sa.size;
      if (bufA.compare(bufB, 0, rb.bytesRead, 0, ra.bytesRead) !== 0) return false;
      pos += ra.bytesRead;
    }
    return true;
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}
