import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { filesHaveSameBytes } from './byte-compare.js';
import { hashFileHeads, type HeadHashError } from './head-hashes.js';

/**
 * Exact duplicates without a database, the way the fastest dedupe tools do it: only files that
 * share a size can be equal; of those, only files whose first 64 KiB hash equal are fully hashed;
 * groups of equal SHA-256 are then compared byte for byte before they are called safe.
 */

export interface SizedFile {
  path: string;
  sizeBytes: number;
}

export interface ExactGroup {
  sha256: string;
  sizeBytes: number;
  paths: string[];
  /** Every member was compared byte for byte with the first. */
  byteIdentical: boolean;
}

export interface UnreadableFile {
  path: string;
  reason: string;
}

export interface ExactResult {
  groups: ExactGroup[];
  unreadable: UnreadableFile[];
  /** Files actually read (partial or full), for the summary. */
  filesRead: number;
  bytesRead: number;
}

const PARTIAL_BYTES = 64 * 1024;

async function hashWhole(p: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | HeadHashError | null | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'deleted during the scan';
  if (err instanceof Error) return err.message;
  return (err as HeadHashError | null)?.message ?? String(err);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return [...m.values()];
}

export interface ExactOptions {
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Groups byte-identical files. `sizeBuckets` maps a size to the paths of that size (built while
 * streaming a walk, so 1,000,000 files cost one map entry each, not their contents). Empty files
 * are never duplicates of each other: the caller reports them as unreadable/empty.
 */
export async function findExactDuplicates(
  sizeBuckets: ReadonlyMap<number, readonly string[]>,
  opts: ExactOptions = {},
): Promise<ExactResult> {
  const concurrency = opts.concurrency ?? 4;
  const unreadable: UnreadableFile[] = [];
  let filesRead = 0;
  let bytesRead = 0;
  const candidates: SizedFile[] = [];
  for (const [size, paths] of sizeBuckets) {
    if (size > 0 && paths.length > 1) for (const p of paths) candidates.push({ path: p, sizeBytes: size });
  }
  let done = 0;
  const tick = () => opts.onProgress?.(++done, candidates.length);

  // Stage 1: partial hash (synchronous reads on worker threads, see head-hashes.ts).
  const read = await hashFileHeads(candidates, PARTIAL_BYTES);
  const heads = candidates.map((f, i) => {
    tick();
    const head = read.hashes[i];
    if (head == null) {
      unreadable.push({ path: f.path, reason: reasonOf(read.errors[i]) });
      return null;
    }
    filesRead++;
    bytesRead += Math.min(f.sizeBytes, PARTIAL_BYTES);
    return { ...f, head };
  });
  const headGroups = groupBy(
    heads.filter((h): h is SizedFile & { head: string } => h !== null),
    (h) => `${h.sizeBytes}:${h.head}`,
  ).filter((g) => g.length > 1);

  // Stage 2: full hash, only where the head could not settle it.
  const toHash = headGroups.flat();
  const full = await mapLimit(toHash, concurrency, async (f) => {
    if (f.sizeBytes <= PARTIAL_BYTES) return { ...f, sha256: f.head };
    try {
      const sha256 = await hashWhole(f.path);
      bytesRead += f.sizeBytes;
      return { ...f, sha256 };
    } catch (err) {
      unreadable.push({ path: f.path, reason: reasonOf(err) });
      return null;
    }
  });
  const hashGroups = groupBy(
    full.filter((f): f is SizedFile & { head: string; sha256: string } => f !== null),
    (f) => `${f.sizeBytes}:${f.sha256}`,
  ).filter((g) => g.length > 1);

  // Stage 3: byte-for-byte proof against the first member.
  const groups = await mapLimit(hashGroups, Math.max(1, Math.floor(concurrency / 2)), async (g) => {
    const first = g[0] as SizedFile & { sha256: string };
    const rest = g.slice(1);
    let identical = true;
    for (const other of rest) {
      const same = await filesHaveSameBytes(first.path, other.path).catch(() => false);
      identical &&= same;
    }
    return {
      sha256: first.sha256,
      sizeBytes: first.sizeBytes,
      paths: g.map((f) => f.path).sort(),
      byteIdentical: identical,
    };
  });
  groups.sort((a, b) => b.sizeBytes * (b.paths.length - 1) - a.sizeBytes * (a.paths.length - 1));
  return { groups, unreadable, filesRead, bytesRead };
}
