import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * HEVC-coded HEIC (iPhone photos) decoded with heic-decode (libheif compiled to WASM), because the
 * prebuilt libvips in sharp only has the AV1 (AVIF) codec. heic-decode works synchronously for
 * ≈350 ms per 12 MP image, which would freeze the event loop, so it runs in worker threads.
 * libheif applies the HEIF transformations (irot/imir), so the pixels come back upright; the EXIF
 * Orientation tag inside a HEIC must not be applied on top (HEIF/MIAF say it is informative only).
 * Workers are started on demand, do not keep the process alive while idle, and exit after a minute idle.
 */

export interface DecodedRgba {
  data: Uint8Array;
  width: number;
  height: number;
}

const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism()));
const IDLE_EXIT_MS = 60_000;
const JOB_TIMEOUT_MS = 120_000;

// Plain CommonJS so it runs unchanged under tsx, vitest and the compiled build. libheif-js reports
// decoding failures with console.log; keep the text for the error instead of printing it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.modulePath);
let lastLog = '';
const remember = (...args) => {
  lastLog = args.map((a) => (typeof a === 'string' ? a : (a && a.message) || '')).join(' ').trim();
};
console.log = console.warn = console.error = remember;
parentPort.on('message', async (job) => {
  lastLog = '';
  try {
    const image = await decode({ buffer: job.bytes });
    const d = image.data;
    const whole = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;
    const pixels = whole ? d.buffer : d.slice().buffer;
    parentPort.postMessage({ id: job.id, width: image.width, height: image.height, pixels }, [pixels]);
  } catch (error) {
    const message = String((error && error.message) || error);
    parentPort.postMessage({ id: job.id, error: lastLog ? message + ': ' + lastLog : message });
  }
});`;

interface Job {
  id: number;
  bytes: Uint8Array;
  resolve: (image: DecodedRgba) => void;
  reject: (error: Error) => void;
}

interface WorkerReply {
  id: number;
  width?: number;
  height?: number;
  pixels?: ArrayBuffer;
  error?: string;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  idleTimer: NodeJS.Timeout | null;
  jobTimer: NodeJS.Timeout | null;
}

const queue: Job[] = [];
const slots = new Set<Slot>();
let nextId = 1;
let modulePath: string | null = null;

export function decodeHeic(bytes: Uint8Array): Promise<DecodedRgba> {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, bytes, resolve, reject });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length > 0) {
    let slot = [...slots].find((s) => s.job === null);
    if (!slot && slots.size < POOL_SIZE) slot = startWorker();
    if (!slot) return;
    runJob(slot, queue.shift() as Job);
  }
}

function runJob(slot: Slot, job: Job): void {
  if (slot.idleTimer) clearTimeout(slot.idleTimer);
  slot.idleTimer = null;
  slot.job = job;
  slot.worker.ref();
  slot.jobTimer = setTimeout(() => {
    failSlot(slot, new Error(`HEIC decoding took longer than ${JOB_TIMEOUT_MS / 1000} s`));
  }, JOB_TIMEOUT_MS);
  slot.worker.postMessage({ id: job.id, bytes: job.bytes });
}

function startWorker(): Slot {
  modulePath ??= createRequire(import.meta.url).resolve('heic-decode');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath } });
  const slot: Slot = { worker, job: null, idleTimer: null, jobTimer: null };
  worker.on('message', (reply: WorkerReply) => {
    finishJob(slot, reply);
  });
  worker.on('error', (error) => {
    failSlot(slot, error);
  });
  worker.on('exit', () => {
    failSlot(slot, new Error('HEIC decoder worker exited'));
  });
  slots.add(slot);
  return slot;
}

function finishJob(slot: Slot, reply: WorkerReply): void {
  const job = slot.job;
  if (!job || job.id !== reply.id) return;
  clearJob(slot);
  if (reply.pixels && reply.width && reply.height) {
    job.resolve({ data: new Uint8Array(reply.pixels), width: reply.width, height: reply.height });
  } else {
    job.reject(new Error(reply.error ?? 'HEIC decoding failed'));
  }
  slot.worker.unref();
  slot.idleTimer = setTimeout(() => void retire(slot), IDLE_EXIT_MS).unref();
  dispatch();
}

/** A crashed or stuck worker is discarded with its job; the next job gets a fresh worker. */
function failSlot(slot: Slot, error: Error): void {
  if (!slots.delete(slot)) return;
  const job = slot.job;
  clearJob(slot);
  if (slot.idleTimer) clearTimeout(slot.idleTimer);
  void slot.worker.terminate();
  job?.reject(error);
  dispatch();
}

async function retire(slot: Slot): Promise<void> {
  if (slot.job || !slots.delete(slot)) return;
  await slot.worker.terminate();
}

function clearJob(slot: Slot): void {
  if (slot.jobTimer) clearTimeout(slot.jobTimer);
  slot.jobTimer = null;
  slot.job = null;
}
