/**
 * Size of libuv's thread pool for photo-sync. The pool is shared by file reads, every sharp pipeline
 * (each holds a thread for its whole libvips operation), thumbnail encodes and hashing: with Node's
 * default of 4 threads and 4 files in flight, the decodes hold them all and the next files' reads
 * wait behind them. Measured with `npm run bench:ingest -- /tmp/cam12`, ten alternating runs each:
 * the ingest reached a median 0.705 of the decode floor with 8 threads (0.67–0.72) against 0.685
 * with 4 (0.65–0.73).
 *
 * libuv reads UV_THREADPOOL_SIZE once, when the pool first starts, and Node's ES module loader
 * starts it while loading the program: so it is set by the CommonJS launcher (launch.cts), before
 * any module loads. A value the user sets wins.
 */
const THREAD_POOL_SIZE = 8;

export = { THREAD_POOL_SIZE };
