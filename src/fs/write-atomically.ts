import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { isDiskFull, toDiskFullError } from './disk-full.js';

/**
 * Writes `data` to a temporary name beside `target`, then renames it over `target`: a reader (or a
 * crash) never sees half a file. The temporary name is unique per call, so two writers of the same
 * target in one process cannot trample each other's temporary file. The folder must exist. No
 * room to write is a DiskFullError naming `target` (a failed write(2) carries no path of its own).
 */
export async function writeAtomically(target: string, data: Uint8Array): Promise<void> {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw isDiskFull(err) ? await toDiskFullError(err, target) : err;
  }
}
