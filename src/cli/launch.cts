#!/usr/bin/env node
// The `photo-sync` command. CommonJS on purpose: it runs before the ES module loader, which starts
// libuv's thread pool, so the pool can still be sized here (see thread-pool.cts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS by design (see above)
import threadPool = require('./thread-pool.cjs');

process.env.UV_THREADPOOL_SIZE ??= String(threadPool.THREAD_POOL_SIZE);
void import('./main.js');
