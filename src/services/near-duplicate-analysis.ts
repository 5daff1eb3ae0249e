import type { ComputedGroup } from '../db/repositories/duplicate.repository.js';
import type { KeeperRule } from '../domain/keeper-ranking.js';
import type { JobContext } from '../jobs/job-registry.js';

/** Near-duplicate edges and groups; implemented over the Hamming index in near-duplicate-index.ts. */
export interface NearDuplicateAnalysis {
  /** Matches assets not yet in the index against it, verifies candidates, stores edges; returns how many. */
  updateEdges(ctx: JobContext): Promise<number>;
  /** Groups of both tiers from the stored edges, respecting "not a duplicate" pairs. */
  computeGroups(rules: readonly KeeperRule[]): Promise<ComputedGroup[]>;
}
