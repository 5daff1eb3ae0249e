/** Shared pieces of the benchmarks: running the headless scan the way the CLI does, and peers. */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { headlessScanFor } from '../src/cli/scan-command.js';
import { loadConfig } from '../src/config/config.js';
import { findExecutable } from '../src/fs/find-executable.js';
import type { ScanReport } from '../src/report/scan-report.js';
import type { InsightSubject } from '../src/domain/insights/insight-subject.js';

/** The headless scan exactly as `photo-sync scan` runs it, in this process. */
export function headlessScan(
  dir: string,
  opts: {
    exactOnly: boolean;
    threshold?: number;
    onSubjects?: (subjects: readonly InsightSubject[]) => void;
  },
): Promise<ScanReport> {
  return headlessScanFor(loadConfig(process.env), [dir], {
    exactOnly: opts.exactOnly,
    ...(opts.onSubjects ? { onSubjects: opts.onSubjects } : {}),
    ...(opts.threshold !== undefined ? { duplicateShare: opts.threshold } : {}),
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/**
 * findimagedupes on `dir` (recursive, its default 90% threshold), groups read back without the
 * space-splitting ambiguity of its default output: a tiny program prints each group NUL-separated.
 */
export async function findimagedupes(dir: string): Promise<{ groups: string[][]; seconds: number } | null> {
  const bin = await findExecutable('findimagedupes', process.env.PATH);
  if (!bin) return null;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fid-'));
  const printer = path.join(tmp, 'print-group.sh');
  await fs.writeFile(printer, '#!/bin/sh\nprintf "%s\\0" "$@"\nprintf "\\n"\n', { mode: 0o755 });
  const r = await run(bin, ['-R', '-q', '-p', printer, '--', dir]);
  await fs.rm(tmp, { recursive: true, force: true });
  const groups = r.stdout
    .split('\n')
    .map((line) => line.split('\0').filter(Boolean))
    .filter((g) => g.length > 1);
  return { groups, seconds: r.seconds };
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/**
 * A CPU profile of this process's main thread between start() and stop(), written to `file` (open
 * it in Chrome DevTools): the parts of a benchmark worth profiling rarely start with the process.
 */
export function mainThreadProfiler(file: string): { start: () => Promise<void>; stop: () => Promise<void> } {
  const session = new Session();
  return {
    start: async () => {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      await fs.writeFile(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`main-thread CPU profile: ${file}`);
    },
  };
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
