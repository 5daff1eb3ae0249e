/**
 * What near-duplicate search needs from a signature scheme, so the search/storage code does not
 * depend on how signatures are computed (src/domain/near-duplicate/ implements it).
 */
export interface SignatureCodec<S> {
  decode(stored: Uint8Array): S;
  /** The hashes this picture is filed under, one per index name (16 hex chars each). */
  keys(s: S): { index: string; hex: string }[];
  /**
   * The probes to run for picture Q: hash, index, Hamming radius, and a hint (the transform under
   * which a hit P matches Q) to pass to `verify(P, Q, hint)`.
   */
  probes(s: S): { index: string; hex: string; radius: number; hint: string }[];
  /** Alignment-tolerant similarity 0..1 of two pictures. */
  verify(a: S, b: S, hint?: string): { score: number; transform: string };
  /**
   * Whether one of two matching pictures is a deliberate re-colouring of the other (`grayscale`,
   * `sepia`, `colour-grade`): a version, never a duplicate. Null when their colours agree or are unknown.
   */
  recoloured?(a: S, b: S): string | null;
}

export interface SimilarityThresholds {
  /** Score at or above which two files are the same picture (duplicates tier). */
  duplicate: number;
  /** Score at or above which two files are kept as "similar" (stacking / best shot, never deletion). */
  similar: number;
}
