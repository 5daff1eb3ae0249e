import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why a small tmpfs cannot be mounted here (not root, no permission), or null when it can. */
export async function tmpfsUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return `tmpfs mounts need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'mounting a tmpfs needs root (run the tests as root to cover a full disk)';
  const probe = await fs.mkdtemp(path.join(os.tmpdir(), 'photosync-tmpfs-probe-'));
  try {
    await mountTmpfs(probe, 'size=64k');
    await unmount(probe);
    return null;
  } catch (err) {
    return `mount -t tmpfs is not permitted here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  } finally {
    await fs.rmdir(probe).catch(() => undefined);
  }
}

/** A tmpfs at `dir` (created if missing) with mount options such as "size=2m" or "size=1m,nr_inodes=8". */
export async function mountTmpfs(dir: string, options: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

/** Unmounts `dir`; a file still open there (a closing database) gets a few moments, then a lazy unmount. */
export async function unmount(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const done = await run('umount', [dir]).then(
      () => true,
      () => false,
    );
    if (done) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await run('umount', ['-l', dir]).catch(() => undefined);
}

/** Writes one file into `dir` until the filesystem refuses another byte; returns its path. */
export async function fillDisk(dir: string): Promise<string> {
  const file = path.join(dir, 'filler.bin');
  const handle = await fs.open(file, 'w');
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          await handle.write(chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    await handle.close();
  }
  return file;
}
