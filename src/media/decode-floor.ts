import { decodeToWorkingRaster, DEFAULT_THUMBNAIL_SIZE } from './working-raster.js';

/**
 * The speed floor of ingest: the bare shrink-on-load decode of a file to the same working raster
 * analyzeFile uses (same size rule, same sharp settings), with no hashing, metadata or encoding.
 * Benchmarks compare analyzeFile's throughput against this.
 */
export async function decodeFloor(absPath: string): Promise<void> {
  await decodeToWorkingRaster(absPath, {
    failOn: 'warning',
    autoOrient: true,
    minShortEdge: DEFAULT_THUMBNAIL_SIZE,
  });
}
