import fs from 'node:fs/promises';
import path from 'node:path';
import { DiskFullError, type DiskFullPlace } from '../errors.js';

/** errno codes that mean "no room": the filesystem is full (or out of inodes), or the quota is used up. */
const FULL_ERRNO = new Set(['ENOSPC', 'EDQUOT']);
/** PostgreSQL's (and PGlite's) SQLSTATE disk_full: "could not extend file …: No space left on device". */
export const SQLSTATE_DISK_FULL = '53100';

function codeOf(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** The disk-full code of `err` (or of an error it wraps), else null. */
export function diskFullCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof DiskFullError) return e.place.code;
    const code = codeOf(e);
    if (code && (FULL_ERRNO.has(code) || code === SQLSTATE_DISK_FULL)) return code;
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return null;
}

/** An error that means "no room to write" (ENOSPC, EDQUOT, SQLSTATE 53100, or a DiskFullError). */
export function isDiskFull(err: unknown): err is Error {
  return err instanceof Error && diskFullCode(err) !== null;
}

/** The nearest existing folder at or above `p` (statfs needs a path that exists). */
export async function existingAncestor(p: string): Promise<string> {
  let dir = path.resolve(p);
  for (;;) {
    const st = await fs.stat(dir).catch(() => null);
    if (st) return st.isDirectory() ? dir : path.dirname(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

/** Where the filesystem holding `dir` is mounted: the highest ancestor on the same device. */
export async function mountPointOf(dir: string): Promise<string> {
  let current = await existingAncestor(dir);
  const dev = (await fs.stat(current)).dev;
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return current;
    const st = await fs.stat(parent).catch(() => null);
    if (!st || st.dev !== dev) return current;
    current = parent;
  }
}

export interface SpaceFigures {
  freeBytes: number;
  totalBytes: number;
  /** Free inodes; null when the filesystem does not count them. */
  freeInodes: number | null;
}

/** Free space as the photo-sync user may use it (`bavail`, not `bfree`: root's reserve excluded). */
export async function spaceAt(dir: string): Promise<SpaceFigures> {
  const s = await fs.statfs(await existingAncestor(dir));
  return {
    freeBytes: s.bavail * s.bsize,
    totalBytes: s.blocks * s.bsize,
    freeInodes: s.files > 0 ? s.ffree : null,
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** The sentence that says what is full and what to do; shared by errors, logs and /health/ready. */
export function describeDiskFull(place: DiskFullPlace): string {
  const remedy = 'photo-sync pauses the work that writes and resumes by itself once space returns';
  if (place.path === null)
    return (
      `The database has no space left to write (SQLSTATE ${place.code}). ` +
      `Free space on the database's disk or grow it; ${remedy}.`
    );
  const fsName = place.mountPoint ? `the filesystem mounted at ${place.mountPoint}` : 'its filesystem';
  const figures =
    place.freeBytes !== null && place.totalBytes !== null
      ? ` (${formatBytes(place.freeBytes)} free of ${formatBytes(place.totalBytes)})`
      : '';
  const what =
    place.code === 'EDQUOT'
      ? `the disk quota of the photo-sync user is used up on ${fsName}`
      : `no space left on ${fsName}`;
  return `Cannot write ${place.path}: ${what}${figures}. Free space there (or grow the volume); ${remedy}.`;
}

/**
 * The typed error for a write that found no room at `where` (null: the database server's disk),
 * with the figures of that filesystem. `err` is returned as is when it already is one.
 */
export async function toDiskFullError(err: unknown, where: string | null): Promise<DiskFullError> {
  if (err instanceof DiskFullError) return err;
  const code = diskFullCode(err) ?? 'ENOSPC';
  const errPath = typeof err === 'object' && err !== null ? (err as { path?: unknown }).path : undefined;
  const target = where ?? (typeof errPath === 'string' ? errPath : null);
  let place: DiskFullPlace = { path: target, mountPoint: null, freeBytes: null, totalBytes: null, code };
  if (target !== null) {
    const figures = await spaceAt(target).catch(() => null);
    const mountPoint = await mountPointOf(target).catch(() => null);
    place = {
      ...place,
      mountPoint,
      freeBytes: figures?.freeBytes ?? null,
      totalBytes: figures?.totalBytes ?? null,
    };
  }
  const error = new DiskFullError(describeDiskFull(place), place);
  error.cause = err;
  return error;
}

/**
 * `mkdir -p` that tells a full disk apart: Node's recursive mkdir reports ENOSPC (no inode left) as
 * ENOENT, which reads as "the folder vanished". On ENOENT the missing folders are made one by one,
 * so the real error (ENOSPC, EDQUOT, EACCES…) comes out.
 */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const missing: string[] = [];
  for (let d = path.resolve(dir); !(await fs.stat(d).catch(() => null)); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing)
    await fs.mkdir(d).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    });
}
