import fs from 'node:fs/promises';
import path from 'node:path';
import { isDiskFull, makeDirectory, toDiskFullError } from './disk-full.js';

/** Hidden, so scans skip it; inside the library root, so a move is a rename on the same filesystem. */
export const TRASH_DIR_NAME = '.photo-sync-trash';

export class TrashMoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrashMoveError';
  }
}

function isUnder(p: string, dir: string): boolean {
  return p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The library root holding `filePath` (the deepest one when roots nest). */
export function rootOf(filePath: string, roots: readonly string[]): string | null {
  return roots.filter((r) => isUnder(filePath, r)).sort((a, b) => b.length - a.length)[0] ?? null;
}

export function trashPathFor(root: string, itemId: string, originalPath: string): string {
  return path.join(root, TRASH_DIR_NAME, itemId, path.basename(originalPath));
}

const exists = (p: string) =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

/**
 * Moves a file into the trash by rename — never a copy-and-delete, never an unlink. Idempotent: a
 * file already in the trash (a crash after the rename) counts as moved.
 */
export async function moveIntoTrash(originalPath: string, trashPath: string): Promise<void> {
  if (!(await exists(originalPath))) {
    if (await exists(trashPath)) return;
    throw new TrashMoveError(
      `${originalPath} is no longer there (moved or deleted outside photo-sync); nothing was changed.`,
    );
  }
  try {
    await makeDirectory(path.dirname(trashPath));
    await fs.rename(originalPath, trashPath);
  } catch (err) {
    // Even a rename needs room for the trash folder's entry: the move waits for space, nothing is lost.
    if (isDiskFull(err)) throw await toDiskFullError(err, trashPath);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EXDEV')
      throw new TrashMoveError(
        `${originalPath} is on another filesystem than the library trash; it was left in place (photo-sync only moves files, it never copies and deletes).`,
      );
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new TrashMoveError(
        `${originalPath} cannot be moved: permission denied (${code}); it was left in place.`,
      );
    throw err;
  }
}

/** `IMG_1.jpg` → `IMG_1 (restored).jpg`, `IMG_1 (restored 2).jpg`, … */
function besideName(target: string, n: number): string {
  const ext = path.extname(target);
  const base = target.slice(0, target.length - ext.length);
  return `${base} (restored${n > 1 ? ` ${n}` : ''})${ext}`;
}

/**
 * Puts a trashed file back at `originalPath`, or beside it with a suffix when something else is
 * there now. Never overwrites: a hard link claims the name atomically (EEXIST when taken).
 * Returns where the file is now.
 */
export async function restoreFromTrash(trashPath: string, originalPath: string): Promise<string> {
  if (!(await exists(trashPath)))
    throw new TrashMoveError(`The trashed file ${trashPath} is missing; it cannot be restored.`);
  await fs.mkdir(path.dirname(originalPath), { recursive: true });
  for (let n = 0; n < 1000; n++) {
    const target = n === 0 ? originalPath : besideName(originalPath, n);
    try {
      await fs.link(trashPath, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
        // A filesystem without hard links: check, then rename (a small race we accept there).
        if (await exists(target)) continue;
        await fs.rename(trashPath, target);
        await removeEmptyDir(path.dirname(trashPath));
        return target;
      }
      throw err;
    }
    await fs.unlink(trashPath); // the file lives on at `target` (same inode)
    await removeEmptyDir(path.dirname(trashPath));
    return target;
  }
  throw new TrashMoveError(`No free name beside ${originalPath} to restore into.`);
}

/** Deletes a trashed file for good (the scheduled purge after the retention period). */
export async function purgeTrashedFile(trashPath: string): Promise<void> {
  await fs.rm(trashPath, { force: true });
  await removeEmptyDir(path.dirname(trashPath));
}

async function removeEmptyDir(dir: string): Promise<void> {
  await fs.rmdir(dir).catch(() => undefined);
}
