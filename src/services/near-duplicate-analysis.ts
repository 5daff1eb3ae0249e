import type { ComputedGroup } from '../db/repositories/duplicate.repository.js';
import type { KeeperRule } from '../domain/keeper-ranking.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { SimilarityThresholds } from '../domain/signature-codec.js';

/**
 * Near-duplicate edges and groups; implemented over the Hamming index in near-duplicate-index.ts.
 * The thresholds are those in force for this run (runtime settings), given by the caller.
 */
export interface NearDuplicateAnalysis {
  /** Matches assets not yet in the index against it, verifies candidates, stores edges; returns how many. */
  updateEdges(ctx: JobContext, thresholds: SimilarityThresholds): Promise<number>;
  /** Groups of both tiers from the stored edges, respecting "not a duplicate" pairs. */
  computeGroups(rules: readonly KeeperRule[], thresholds: SimilarityThresholds): Promise<ComputedGroup[]>;
}
