import fs from 'node:fs/promises';
import path from 'node:path';

/** The first executable named `name` on PATH, or null — how we learn whether ffmpeg is installed. */
export async function findExecutable(name: string, searchPath: string | undefined): Promise<string | null> {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}
