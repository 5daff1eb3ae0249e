import type { AssetMetadata } from '../domain/asset-metadata.js';
import type { FileKind } from '../domain/file-kind.js';
import { decodeEncoded } from './decode-picture.js';
import { deriveProducts } from './derive.js';
import type { MediaAnalysis } from './media-analysis.js';

export interface RenditionSource {
  kind: FileKind;
  mime: string | null;
  /** Content hash of the original as the source knows it (Immich: SHA-1, 40 hex characters). */
  contentHash: string;
  /** Size of the original in bytes. */
  bytes: number;
  /** Metadata of the original, from the source (the rendition carries none). */
  metadata: AssetMetadata;
}

/**
 * Analyses a rendition another system made of an original (Immich's preview): the thumbnail,
 * pHash, signatures and quality come from its pixels, everything else from what the source says
 * about the original. Width and height stay the original's.
 */
export async function analyzeRendition(
  rendition: Uint8Array,
  source: RenditionSource,
  thumbnailSize: number,
): Promise<MediaAnalysis> {
  const timings: MediaAnalysis['timings'] = {};
  const start = performance.now();
  const picture = await decodeEncoded(rendition, true, thumbnailSize);
  timings.decode = performance.now() - start;
  const base = {
    kind: source.kind,
    mime: source.mime,
    sha256: source.contentHash,
    bytes: source.bytes,
    metadata: source.metadata,
    timings,
  };
  if (!picture.decoded)
    return {
      ...base,
      thumbnail: null,
      phash: null,
      signatures: null,
      quality: null,
      problem: picture.problem,
    };
  const deriveStart = performance.now();
  const derived = await deriveProducts(picture.decoded.raster, picture.integrity, {
    thumbnailSize,
    thumbnail: true,
  });
  timings.derive = performance.now() - deriveStart;
  return { ...base, ...derived, problem: picture.problem };
}
