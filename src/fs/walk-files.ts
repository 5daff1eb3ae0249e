import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
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

/** The code of a symbolic link skipped because it points outside the library root. */
export const LINK_OUTSIDE_ROOT = 'ELINKOUTSIDE';

function linkOutside(p: string): WalkProblem {
  return {
    type: 'problem',
    path: p,
    code: LINK_OUTSIDE_ROOT,
    message: `Skipped ${p}: a symbolic link pointing outside the library folder (never read).`,
  };
}

const isProblem = (v: Stats | WalkProblem): v is WalkProblem => 'type' in v;

const isUnderRoot = (p: string, realRoot: string) =>
  p === realRoot || p.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);

/**
 * lstat, and for a symbolic link the stat of its target when the target's real path is inside the
 * root; a link leading out is a problem (skipped with its reason), never followed.
 */
async function statInside(full: string, realRoot: string): Promise<Stats | WalkProblem> {
  const st = await fs.lstat(full);
  if (!st.isSymbolicLink()) return st;
  const real = await fs.realpath(full);
  if (!isUnderRoot(real, realRoot)) return linkOutside(full);
  return fs.stat(real);
}

function statInsideSync(full: string, realRoot: string): Stats | WalkProblem {
  const st = lstatSync(full);
  if (!st.isSymbolicLink()) return st;
  const real = realpathSync(full);
  if (!isUnderRoot(real, realRoot)) return linkOutside(full);
  return statSync(real);
}

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
 * Never leaves the root: a symbolic link (to a file or a folder) is followed only when its real
 * path is inside the root's real path; one leading out is yielded as a `LINK_OUTSIDE_ROOT` problem
 * and neither read nor listed. Each real directory is visited once, so link loops end. Problems (a folder
 * without permission, a file deleted mid-walk) are yielded, never thrown — one bad entry must not stop
 * a scan of 100,000 files.
 */
export async function* walkFiles(root: string): AsyncGenerator<WalkEntry> {
  const visited = new Set<string>();
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (err) {
    yield problem(root, err);
    return;
  }
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
      const stats = await Promise.allSettled(batch.map((n) => statInside(path.join(dir, n), realRoot)));
      for (let j = 0; j < batch.length; j++) {
        const name = batch[j] as string;
        const full = path.join(dir, name);
        const result = stats[j] as PromiseSettledResult<Stats | WalkProblem>;
        if (result.status === 'rejected') {
          yield problem(full, result.reason);
          continue;
        }
        if (isProblem(result.value)) {
          yield result.value;
          continue;
        }
        const entry = classify(name, full, result.value, subdirs);
        if (entry) yield entry;
      }
    }
    pushInNameOrder(stack, subdirs);
  }
}

/** A file entry for `st`, or null; directories are collected into `subdirs` instead. */
function classify(name: string, full: string, st: Stats, subdirs: string[]): WalkedFile | null {
  if (isIgnoredEntry(name, st.isDirectory())) return null;
  if (st.isDirectory()) subdirs.push(full);
  else if (st.isFile())
    return {
      type: 'file',
      path: full,
      sizeBytes: st.size,
      mtimeMs: st.mtimeMs,
      inode: `${st.dev}:${st.ino}`,
    };
  return null;
}

/** Reversed, so the stack pops sub-folders in name order. */
function pushInNameOrder(stack: string[], subdirs: readonly string[]): void {
  for (let k = subdirs.length - 1; k >= 0; k--) stack.push(subdirs[k] as string);
}

/**
 * The same walk with synchronous system calls, for the headless CLI only (nothing else waits on its
 * event loop): a promise and a thread-pool round trip per stat cost several times the stat itself,
 * and a tree of a million files is where that decides the run time.
 */
export function* walkFilesSync(root: string): Generator<WalkEntry> {
  const visited = new Set<string>();
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (err) {
    yield problem(root, err);
    return;
  }
  const stack: string[] = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let names: string[];
    try {
      const st = statSync(dir);
      const key = `${st.dev}:${st.ino}`;
      if (visited.has(key)) continue;
      visited.add(key);
      names = readdirSync(dir).sort();
    } catch (err) {
      yield problem(dir, err);
      continue;
    }
    const subdirs: string[] = [];
    for (const name of names) {
      const full = path.join(dir, name);
      let st: Stats | WalkProblem;
      try {
        st = statInsideSync(full, realRoot);
      } catch (err) {
        yield problem(full, err);
        continue;
      }
      if (isProblem(st)) {
        yield st;
        continue;
      }
      const entry = classify(name, full, st, subdirs);
      if (entry) yield entry;
    }
    pushInNameOrder(stack, subdirs);
  }
}
