import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Worker threads that read and hash many files with synchronous system calls. A tree of a million
 * small files is a million open/read/close calls: synchronous calls avoid three thread-pool round
 * trips per file, and one worker per core keeps every core in the kernel instead of one. Paths go in
 * as batches; digests come back as one transferred buffer of 32-byte SHA-256s per batch, so a million
 * results cost no million strings. The worker is plain JavaScript evaluated from this string so it
 * runs the same from the TypeScript sources (tests, tsx) and from the build.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
const { createHash } = require('node:crypto');
const PIECE = 1 << 20;
const a = Buffer.allocUnsafe(PIECE);
const b = Buffer.allocUnsafe(PIECE);
const failure = (err) => [err && err.code ? err.code : 'EUNKNOWN', String(err && err.message)];

function digest(path, limit, out, offset) {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    for (let pos = 0; pos < limit; ) {
      const n = readSync(fd, a, 0, Math.min(PIECE, limit - pos), pos);
      if (n === 0) break;
      hash.update(n === PIECE ? a : a.subarray(0, n));
      pos += n;
    }
    hash.digest().copy(out, offset);
  } finally {
    closeSync(fd);
  }
}

function sameBytes(p, q) {
  const fp = openSync(p, 'r');
  try {
    const fq = openSync(q, 'r');
    try {
      const size = fstatSync(fp).size;
      if (fstatSync(fq).size !== size) return false;
      for (let pos = 0; pos < size; ) {
        const n = readSync(fp, a, 0, PIECE, pos);
        const m = readSync(fq, b, 0, PIECE, pos);
        if (n !== m) return false;
        if (n === 0) return pos >= size;
        if (a.compare(b, 0, m, 0, n) !== 0) return false;
        pos += n;
      }
      return true;
    } finally {
      closeSync(fq);
    }
  } finally {
    closeSync(fp);
  }
}

parentPort.on('message', (task) => {
  if (task.op === 'compare') {
    const same = new Uint8Array(task.pairs.length);
    task.pairs.forEach(([p, q], i) => {
      try { same[i] = sameBytes(p, q) ? 1 : 0; } catch { same[i] = 0; }
    });
    parentPort.postMessage({ id: task.id, same }, [same.buffer]);
    return;
  }
  const out = Buffer.alloc(task.paths.length * 32);
  const failures = [];
  for (let i = 0; i < task.paths.length; i++) {
    try {
      digest(task.paths[i], task.limits ? task.limits[i] : Infinity, out, i * 32);
    } catch (err) {
      failures.push([i, ...failure(err)]);
    }
  }
  const digests = new Uint8Array(out.buffer, out.byteOffset, out.length);
  parentPort.postMessage({ id: task.id, digests, failures }, out.byteOffset === 0 ? [out.buffer] : []);
});
`;

export const DIGEST_BYTES = 32;

export interface FileFailure {
  code: string;
  message: string;
}

export interface DigestBatch {
  /** SHA-256 of file i at `i * DIGEST_BYTES`; zeros where `failures` has i. */
  digests: Buffer;
  failures: Map<number, FileFailure>;
}

type Task =
  | { op: 'digest'; paths: readonly string[]; limits: readonly number[] | null }
  | { op: 'compare'; pairs: readonly (readonly [string, string])[] };

interface Reply {
  id: number;
  digests?: Uint8Array;
  failures?: [number, string, string][];
  same?: Uint8Array;
}

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class FileDigestPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;

  constructor(private readonly size = availableParallelism()) {}

  /** SHA-256 of the first `limits[i]` bytes of each file (of the whole file without limits). */
  async digest(paths: readonly string[], limits: readonly number[] | null = null): Promise<DigestBatch> {
    const reply = await this.run({ op: 'digest', paths, limits });
    const failures = new Map<number, FileFailure>();
    for (const [i, code, message] of reply.failures ?? []) failures.set(i, { code, message });
    // A view on the transferred memory, not a copy.
    const d = reply.digests ?? new Uint8Array(0);
    return { digests: Buffer.from(d.buffer, d.byteOffset, d.length), failures };
  }

  /** For each pair, whether both files can be read and have exactly the same bytes. */
  async compare(pairs: readonly (readonly [string, string])[]): Promise<boolean[]> {
    const reply = await this.run({ op: 'compare', pairs });
    return Array.from(reply.same ?? [], (v) => v === 1);
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private run(task: Task): Promise<Reply> {
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, ...task });
    });
  }

  /** An idle worker, a new one while under the pool size, else the one with the fewest tasks queued. */
  private leastBusy(): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.start();
    return this.slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
  }

  private start(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true }), pending: new Map() };
    slot.worker.on('message', (reply: Reply) => {
      const p = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      p?.resolve(reply);
    });
    const fail = (error: Error): void => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      fail(new Error(`a file-hashing worker stopped unexpectedly (exit code ${code})`));
    });
    this.slots.push(slot);
    return slot;
  }
}
