/** What the scanner knows of a file from an earlier scan. */
export interface PreviousState {
  sizeBytes: number;
  mtimeMs: number;
  inode: string;
  status: 'pending' | 'ready' | 'failed' | 'missing' | 'trashed';
  problemCode: string | null;
}

export interface CurrentState {
  sizeBytes: number;
  mtimeMs: number;
  inode: string;
}

export type RescanDecision = 'skip' | 'ingest' | 'restore';

/**
 * Incremental scans: a file whose size, mtime and inode are unchanged is not read again — unless
 * it failed last time (unreadable/unknown files are retried every scan) or it is a video that
 * waited for ffmpeg and ffmpeg is now available. A missing file back unchanged is simply restored.
 */
export function decideRescan(
  previous: PreviousState | undefined,
  current: CurrentState,
  ffmpegAvailable: boolean,
): RescanDecision {
  if (!previous) return 'ingest';
  const unchanged =
    previous.sizeBytes === current.sizeBytes &&
    previous.mtimeMs === current.mtimeMs &&
    previous.inode === current.inode;
  if (!unchanged) return 'ingest';
  switch (previous.status) {
    case 'pending':
    case 'failed':
      return 'ingest';
    case 'missing':
    case 'trashed':
      // The file is back where it was, unchanged (a restore from trash, or moved back by hand).
      return 'restore';
    case 'ready':
      return previous.problemCode === 'needs-ffmpeg' && ffmpegAvailable ? 'ingest' : 'skip';
  }
}
