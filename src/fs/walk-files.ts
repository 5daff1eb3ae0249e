import fs from 'node:fs/promises';
import path from 'node:path';
import { isIgnoredEntry } from '../domain/ignored-names.js';

export interface WalkedFile {
  type: 'file';
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  /** `dev:ino`, so a file on another device with the same inode number is not taken for this one. */
  inode: string;
}

export interface WalkProblem {
  type: 'problem';
  path: string;
  code: string;
  message: string;
}

export type WalkEntry = WalkedFile | WalkProblem;

const STAT_BATCH = 64;

function problem(p: string, err: unknown): WalkProblem {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'it disappeared during the scan',
    ELOOP: 'symbolic link loop',
    EIO: 'input/output error (failing disk or network share?)',
  };
  const reason = reasons[code] ?? (err instanceof Error ? err.message : String(err));
  return { type: 'problem', path: p, code, message: `Cannot read ${p}: ${reason}` };
}

/**
 * Streams every file under `root` (depth first, names sorted) without holding the tree in memory.
 * Follows symbolic links but visits each real directory once, so link loops end. Problems (a folder
 * without permission, a file deleted mid-walk) are yielded, never thrown — one bad entry must not stop
 * a scan of 100,000 files.
 */
export async function* walkFiles(root: string): AsyncGenerator<WalkEntry> {
  const visited = new Set<string>();
  const stack: string[] = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let names: string[];
    try {
      const st = await fs.stat(dir);
      const key = `${st.dev}:${st.ino}`;
      if (visited.has(key)) continue;
      visited.add(key);
      names = (await fs.readdir(dir)).sort();
    } catch (err) {
      yield problem(dir, err);
      continue;
    }
    const subdirs: string[] = [];
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH);
      const stats = await Promise.allSettled(batch.map((n) => fs.stat(path.join(dir, n))));
      for (let j = 0; j < batch.length; j++) {
        const name = batch[j] as string;
        const full = path.join(dir, name);
        const result = stats[j] as PromiseSettledResult<Awaited<ReturnType<typeof fs.stat>>>;
        if (result.status === 'rejected') {
          yield problem(full, result.reason);
          continue;
        }
        const st = result.value;
        if (isIgnoredEntry(name, st.isDirectory())) continue;
        if (st.isDirectory()) subdirs.push(full);
        else if (st.isFile())
          yield {
            type: 'file',
            path: full,
            sizeBytes: Number(st.size),
            mtimeMs: Number(st.mtimeMs),
            inode: `${st.dev}:${st.ino}`,
          };
      }
    }
    // Reverse so the stack pops them in name order.
    for (let k = subdirs.length - 1; k >= 0; k--) stack.push(subdirs[k] as string);
  }
}
