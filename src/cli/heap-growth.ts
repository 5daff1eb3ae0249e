import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the JavaScript heap grow past what survived the last full collection, as a percent.
 *
 * Ingest keeps a steady ≈45 MB of live objects (the embedded database's JavaScript side, compiled
 * code) while every file churns through short-lived rasters and buffers. With its own heuristics V8
 * set the next full collection at ≈1.5× the live size; the slack then stayed smaller than the young
 * generation, which V8 reads as "about to run out", so it began a full mark-compact every ≈300 ms.
 * Measured with `npm run bench:ingest -- /tmp/cam12` (200 camera JPEGs) under `--trace-gc`: some runs
 * fell into that loop (13–28 full collections, 0.64–0.67 of the decode floor), others did not (0–1,
 * 0.70–0.72). Growing to 2× the live size ended the loop in every run (1 full collection each).
 * The cost is memory: the heap may reach twice its live size (≈90 MB here) before V8 collects it.
 * V8 reads the flag whenever it sets the next limit, so setting it at start-up is enough.
 */
export const HEAP_GROWING_PERCENT = 100;

/** Applies HEAP_GROWING_PERCENT, unless the user passed their own `--heap-growing-percent` to node. */
export function setHeapGrowth(): void {
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
    /--heap[-_]growing[-_]percent/.test(arg),
  );
  if (!own) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
