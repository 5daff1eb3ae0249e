import fs from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './cli-process.js';

/** The newest modification time (ms) of the files at or under `paths` (relative to the repository); 0 if none. */
export async function newestSourceMtime(paths: string[]): Promise<number> {
  let newest = 0;
  const visit = async (p: string): Promise<void> => {
    const stat = await fs.stat(p).catch(() => null);
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of await fs.readdir(p)) await visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) await visit(path.join(repoRoot, p));
  return newest;
}

/**
 * Whether the build output `stamp` (relative to the repository) is missing or older than any of
 * `sources`: the build `npm install` made is then out of date and the tests would run old code.
 */
export async function isStale(stamp: string, sources: string[]): Promise<boolean> {
  const built = await fs.stat(path.join(repoRoot, stamp)).catch(() => null);
  if (!built) return true;
  return (await newestSourceMtime(sources)) > built.mtimeMs;
}

/** Marks `stamp` as built now (a build that found nothing to rewrite leaves it older than the sources). */
export async function touch(stamp: string): Promise<void> {
  const now = new Date();
  await fs.utimes(path.join(repoRoot, stamp), now, now);
}
