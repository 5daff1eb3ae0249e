import type { AssetMetadata } from '../domain/asset-metadata.js';
import type { FileKind } from '../domain/file-kind.js';
import type { QualityMetrics } from '../domain/quality-metrics.js';

/**
 * Why an asset could not be fully processed. Recorded on the asset so the user sees it and the
 * next scan retries it.
 */
export type MediaProblemCode =
  | 'unsupported' // not a photo/video/sidecar we know (e.g. a text file named .jpg)
  | 'corrupted' // recognised, but the bytes do not decode (truncated, damaged)
  | 'empty' // zero bytes
  | 'needs-ffmpeg'; // a video, but ffmpeg/ffprobe are not installed

export interface MediaProblem {
  code: MediaProblemCode;
  /** A sentence a person can act on. */
  message: string;
}

/** Everything ingest learns from one file, derived from a single decode. */
export interface MediaAnalysis {
  kind: FileKind;
  mime: string | null;
  /** SHA-256 of the whole file, lowercase hex. */
  sha256: string;
  bytes: number;
  metadata: AssetMetadata;
  /** WebP thumbnail, upright; null when the file has no decodable picture. */
  thumbnail: Buffer | null;
  /** 64-bit perceptual hash (DCT pHash of the upright picture), 16 lowercase hex chars. */
  phash: string | null;
  /** Encoded near-duplicate signature set (candidate hashes + verification grid), see domain/near-duplicate. */
  signatures: Buffer | null;
  quality: QualityMetrics | null;
  /** Null when fully processed. A problem does not prevent the hash and metadata from being kept. */
  problem: MediaProblem | null;
  /** Milliseconds spent per stage, for the ingest benchmark and logs. */
  timings: Partial<Record<'read' | 'hash' | 'metadata' | 'decode' | 'derive', number>>;
}

export interface AnalyzeOptions {
  /** Thumbnail size in px (short edge, like Immich's 250 px grid thumbnails). */
  thumbnailSize: number;
  /** Path of ffprobe/ffmpeg, or null when not installed. */
  ffprobePath: string | null;
  ffmpegPath: string | null;
  /** Encode the WebP thumbnail (default true; the headless scan turns it off). */
  thumbnail?: boolean;
  /**
   * Shares the decoded content of byte-identical files: called once the file is hashed, it returns
   * the content already analysed for `sha256` or runs `analyse` (and remembers it for the next copy).
   */
  sameContent?: ContentMemo;
}

export type ContentMemo = <T>(sha256: string, analyse: () => Promise<T>) => Promise<T>;

/** A ContentMemo for one run (a scan): copies of one file are decoded once. */
export function contentMemo(): ContentMemo {
  const seen = new Map<string, Promise<unknown>>();
  return <T>(sha256: string, analyse: () => Promise<T>): Promise<T> => {
    const earlier = seen.get(sha256);
    // Only this function stores under a sha256, always the result of an `analyse` of the same type.
    if (earlier) return earlier as Promise<T>;
    const mine = analyse();
    seen.set(sha256, mine);
    return mine;
  };
}
