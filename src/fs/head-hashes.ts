import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of the first `headBytes` of many files, spread over worker threads. A tree of a million
 * small files is a million open/read/close calls: synchronous calls avoid three thread-pool round
 * trips per file, and running them in one worker per core keeps every core in the kernel instead of
 * one. The worker is plain JavaScript evaluated from this string so it runs the same from the
 * TypeScript sources (tests, tsx) and from the build.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { paths, sizes, headBytes } = workerData;
const buffer = Buffer.allocUnsafe(headBytes);
const hashes = new Array(paths.length);
const errors = new Array(paths.length);
for (let i = 0; i < paths.length; i++) {
  let fd = -1;
  try {
    fd = openSync(paths[i], 'r');
    const n = readSync(fd, buffer, 0, Math.min(sizes[i], headBytes), 0);
    hashes[i] = createHash('sha256').update(buffer.subarray(0, n)).digest('hex');
    errors[i] = null;
  } catch (err) {
    hashes[i] = null;
    errors[i] = { code: err && err.code ? err.code : 'EUNKNOWN', message: String(err && err.message) };
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
parentPort.postMessage({ hashes, errors });
`;

export interface HeadHashError {
  code: string;
  message: string;
}

export interface HeadHashes {
  /** Hex SHA-256 of each file's head, or null where `errors` says why it could not be read. */
  hashes: (string | null)[];
  errors: (HeadHashError | null)[];
}

/** Below this many files one worker is enough: starting another costs more than it saves. */
const FILES_PER_WORKER = 2000;

function runWorker(paths: string[], sizes: number[], headBytes: number): Promise<HeadHashes> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { paths, sizes, headBytes } });
    worker.once('message', (m: HeadHashes) => {
      resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the head-hash worker stopped with exit code ${code}`));
    });
  });
}

export async function hashFileHeads(
  files: readonly { path: string; sizeBytes: number }[],
  headBytes: number,
): Promise<HeadHashes> {
  if (files.length === 0) return { hashes: [], errors: [] };
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(files.length / FILES_PER_WORKER)));
  const chunk = Math.ceil(files.length / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const slice = files.slice(w * chunk, (w + 1) * chunk);
      return runWorker(
        slice.map((f) => f.path),
        slice.map((f) => f.sizeBytes),
        headBytes,
      );
    }),
  );
  return { hashes: parts.flatMap((p) => p.hashes), errors: parts.flatMap((p) => p.errors) };
}
