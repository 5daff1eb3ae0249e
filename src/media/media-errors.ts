/**
 * The only error analyzeFile throws: the file itself could not be read (permissions, vanished, a
 * directory…). Bad *content* never throws; it is reported as a MediaProblem instead.
 */
export class FileUnreadableError extends Error {
  override readonly name = 'FileUnreadableError';

  constructor(
    readonly path: string,
    /** The errno code, e.g. 'EACCES', 'ENOENT', 'EISDIR'; 'EUNKNOWN' when the OS gave none. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read ${path}: ${describeCode(code)}`, options);
  }

  static from(path: string, error: unknown): FileUnreadableError {
    if (error instanceof FileUnreadableError) return error;
    const code = errnoCode(error) ?? 'EUNKNOWN';
    return new FileUnreadableError(path, code, { cause: error });
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied — check the file's permissions",
  EPERM: "operation not permitted — check the file's permissions and ownership",
  ENOENT: 'the file no longer exists — it was moved or deleted during the scan',
  EISDIR: 'it is a directory, not a file',
  ENOTFILE: 'it is not a regular file (a device, socket or pipe)',
  ELOOP: 'too many symbolic links — check for a symlink loop',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'input/output error — the disk or network share may be failing',
  EMFILE: 'too many open files — lower the scan concurrency or raise the open-files limit',
  ENFILE: 'too many open files on the system — lower the scan concurrency',
  ETIMEDOUT: 'the storage timed out — check the network share',
  ESTALE: 'stale network file handle — remount the share',
  EBUSY: 'the file is busy or locked by another program',
};

function describeCode(code: string): string {
  return REASONS[code] ?? `the system reported ${code}`;
}

function errnoCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

/** The file was read but no picture could be made of it (damaged, unsupported, a video without ffmpeg). */
export class PictureUnavailableError extends Error {
  override readonly name = 'PictureUnavailableError';
}
