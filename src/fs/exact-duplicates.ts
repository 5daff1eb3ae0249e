import { DIGEST_BYTES, FileDigestPool, type DigestBatch, type FileFailure } from './file-digest-pool.js';

/**
 * Exact duplicates without a database, the way the fastest dedupe tools do it: only files that
 * share a size can be equal; of those, only files whose first 64 KiB hash equal are fully hashed;
 * groups of equal SHA-256 are then compared byte for byte before they are called safe.
 *
 * The finder is fed during the walk: as soon as a size is seen twice its files go to the hashing
 * workers, so reading heads overlaps walking the tree instead of waiting for its end.
 */

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

export interface ExactOptions {
  onProgress?: (done: number, total: number) => void;
  /** Worker threads reading files; one per core by default. */
  workers?: number;
}

const PARTIAL_BYTES = 64 * 1024;
/** Files per message to a worker: big enough that messaging is noise, small enough to spread the work. */
const BATCH_FILES = 1024;
/** Whole files (or pairs to compare) per task: photos are megabytes, so a few per task spread the work. */
const WHOLE_FILES_PER_TASK = 16;
/** A size already sent for hashing: later files of that size go straight to the next batch. */
const DISPATCHED = -1;

function reasonOf(failure: FileFailure): string {
  if (failure.code === 'EACCES' || failure.code === 'EPERM') return 'permission denied';
  if (failure.code === 'ENOENT') return 'deleted during the scan';
  return failure.message;
}

interface HashedBatch {
  /** File indices, in the order of the digests. */
  files: readonly number[];
  result: DigestBatch;
}

function inPieces<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let i = 0; i < items.length; i += size) pieces.push(items.slice(i, i + size));
  return pieces;
}

export class ExactDuplicateFinder {
  private readonly pool: FileDigestPool;
  private readonly paths: string[] = [];
  private readonly sizes: number[] = [];
  /** Size → index of the only file seen with it so far, or DISPATCHED. */
  private readonly firstOfSize = new Map<number, number>();
  private waiting: number[] = [];
  private readonly batches: Promise<HashedBatch>[] = [];
  private sent = 0;
  private hashed = 0;

  constructor(private readonly opts: ExactOptions = {}) {
    this.pool = new FileDigestPool(opts.workers);
  }

  /** One walked file. Empty files are never duplicates of each other: the caller reports them. */
  add(path: string, sizeBytes: number): void {
    if (sizeBytes <= 0) return;
    const index = this.paths.push(path) - 1;
    this.sizes.push(sizeBytes);
    const first = this.firstOfSize.get(sizeBytes);
    if (first === undefined) {
      this.firstOfSize.set(sizeBytes, index);
      return;
    }
    if (first !== DISPATCHED) {
      this.waiting.push(first);
      this.firstOfSize.set(sizeBytes, DISPATCHED);
    }
    this.waiting.push(index);
    if (this.waiting.length >= BATCH_FILES) this.dispatch();
  }

  async finish(): Promise<ExactResult> {
    try {
      this.dispatch();
      return await this.group(await Promise.all(this.batches));
    } finally {
      await this.pool.close();
    }
  }

  private dispatch(): void {
    if (this.waiting.length === 0) return;
    const files = this.waiting;
    this.waiting = [];
    this.sent += files.length;
    const paths = files.map((i) => this.paths[i] as string);
    const limits = files.map((i) => Math.min(this.sizes[i] as number, PARTIAL_BYTES));
    // Caught here so a batch that fails while others are still queued is never an unhandled rejection.
    const batch = this.pool.digest(paths, limits).then((result) => {
      this.hashed += files.length;
      this.opts.onProgress?.(this.hashed, this.sent);
      return { files, result };
    });
    batch.catch(() => undefined);
    this.batches.push(batch);
  }

  private async group(batches: readonly HashedBatch[]): Promise<ExactResult> {
    const unreadable: UnreadableFile[] = [];
    let filesRead = 0;
    let bytesRead = 0;
    // Every head digest at its file's index, so only the few that end up in groups become hex.
    const digests = Buffer.alloc(this.paths.length * DIGEST_BYTES);
    const byHead = new Map<string, number[]>();
    for (const { files, result } of batches) {
      const batch = result.digests;
      files.forEach((file, j) => {
        const failure = result.failures.get(j);
        if (failure) {
          unreadable.push({ path: this.paths[file] as string, reason: reasonOf(failure) });
          return;
        }
        filesRead++;
        const size = this.sizes[file] as number;
        bytesRead += Math.min(size, PARTIAL_BYTES);
        batch.copy(digests, file * DIGEST_BYTES, j * DIGEST_BYTES, (j + 1) * DIGEST_BYTES);
        // The binary digest as a short key: a million hex strings would cost more than the hashing.
        const key = `${size}:${batch.toString('latin1', j * DIGEST_BYTES, (j + 1) * DIGEST_BYTES)}`;
        const list = byHead.get(key);
        if (list) list.push(file);
        else byHead.set(key, [file]);
      });
    }
    const headGroups = [...byHead.values()].filter((g) => g.length > 1);
    const hexOf = (buffer: Buffer, i: number) =>
      buffer.toString('hex', i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES);

    // Full hash, only where the head could not settle it (the head of a small file is all of it).
    const sha = new Map<number, string>();
    const toHash: number[] = [];
    for (const g of headGroups)
      for (const f of g) {
        if ((this.sizes[f] as number) <= PARTIAL_BYTES) sha.set(f, hexOf(digests, f));
        else toHash.push(f);
      }
    const pieces = inPieces(toHash, WHOLE_FILES_PER_TASK);
    const wholes = await Promise.all(
      pieces.map((piece) => this.pool.digest(piece.map((f) => this.paths[f] as string))),
    );
    pieces.forEach((piece, k) => {
      const whole = wholes[k] as DigestBatch;
      piece.forEach((f, j) => {
        const failure = whole.failures.get(j);
        if (failure) unreadable.push({ path: this.paths[f] as string, reason: reasonOf(failure) });
        else {
          sha.set(f, hexOf(whole.digests, j));
          bytesRead += this.sizes[f] as number;
        }
      });
    });
    const bySha = new Map<string, number[]>();
    for (const g of headGroups)
      for (const f of g) {
        const hex = sha.get(f);
        if (hex === undefined) continue;
        const key = `${this.sizes[f]}:${hex}`;
        const list = bySha.get(key);
        if (list) list.push(f);
        else bySha.set(key, [f]);
      }
    const groups = await this.proven(
      [...bySha.values()].filter((g) => g.length > 1),
      sha,
    );
    return { groups, unreadable, filesRead, bytesRead };
  }

  /** Byte-for-byte proof of each group against its first member. */
  private async proven(
    hashGroups: readonly number[][],
    sha: ReadonlyMap<number, string>,
  ): Promise<ExactGroup[]> {
    const pairs: [string, string][] = [];
    for (const g of hashGroups) {
      const first = this.paths[g[0] as number] as string;
      for (const f of g.slice(1)) pairs.push([first, this.paths[f] as string]);
    }
    const same = (
      await Promise.all(inPieces(pairs, WHOLE_FILES_PER_TASK).map((piece) => this.pool.compare(piece)))
    ).flat();
    let next = 0;
    const groups = hashGroups.map((g) => {
      let identical = true;
      for (let k = 1; k < g.length; k++) identical &&= same[next++] === true;
      const first = g[0] as number;
      return {
        sha256: sha.get(first) as string,
        sizeBytes: this.sizes[first] as number,
        paths: g.map((f) => this.paths[f] as string).sort(),
        byteIdentical: identical,
      };
    });
    return groups.sort((a, b) => b.sizeBytes * (b.paths.length - 1) - a.sizeBytes * (a.paths.length - 1));
  }
}

/**
 * Groups byte-identical files of already collected size buckets (a size to the paths of that size).
 */
export async function findExactDuplicates(
  sizeBuckets: ReadonlyMap<number, readonly string[]>,
  opts: ExactOptions = {},
): Promise<ExactResult> {
  const finder = new ExactDuplicateFinder(opts);
  for (const [size, paths] of sizeBuckets) for (const p of paths) finder.add(p, size);
  return finder.finish();
}
