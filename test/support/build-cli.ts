import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './cli-process.js';
import { isStale, touch } from './fresh-build.js';

/** What the compiled CLI (dist/) is built from; a newer file means dist/ is out of date. */
const sources = ['src', 'tsconfig.json', 'tsconfig.build.json'];
const stamp = 'dist/.tsbuildinfo';

/**
 * Vitest global setup of the suites that start the real `photo-sync` command in child processes
 * (test/support/cli-process.ts). They run the compiled CLI, as installed (`npm install` builds
 * dist/), instead of loading the TypeScript sources through tsx in every process, which costs seconds
 * per start. When a source is newer than the build — an edit since the last build, or no build
 * yet — this compiles again first (incremental), so the tests never run old code.
 */
export default async function buildCli(): Promise<void> {
  if (!(await isStale(stamp, sources))) return;
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const out = err as { stdout?: string; stderr?: string };
    throw new Error(
      `dist/ is older than src/ and rebuilding it failed (tsc -p tsconfig.build.json):\n${out.stdout ?? ''}${out.stderr ?? ''}`,
      { cause: err },
    );
  }
  await touch(stamp);
}
