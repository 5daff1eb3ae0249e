import { setImmediate as nextTurn } from 'node:timers/promises';
import type {
  ComputedGroup,
  DuplicateRepository,
  SignatureRow,
  StoredEdge,
} from '../db/repositories/duplicate.repository.js';
import type { AssetRow } from '../db/repositories/asset.repository.js';
import { pairKey, type Cluster } from '../domain/duplicate-clustering.js';
import { captureTimesDiffer, classifyPair } from '../domain/near-duplicate/index.js';
import { nearGroupConfidence } from '../domain/near-duplicate-codec.js';
import { MAX_SAME_CAPTURE, twoHopPairs } from '../domain/similarity-search.js';
import { groupIntoTiers } from '../domain/near-duplicate-grouping.js';
import { groupKey } from '../domain/group-key.js';
import { HammingIndex } from '../domain/hamming-index.js';
import { rankKeepers, type KeeperRule } from '../domain/keeper-ranking.js';
import { signatureFromHex } from '../domain/popcount.js';
import type { JobContext } from '../jobs/job-registry.js';
import { keeperCandidateOf } from './keeper-candidate.js';
import type { NearDuplicateAnalysis } from './near-duplicate-analysis.js';
import type { SignatureCodec, SimilarityThresholds } from '../domain/signature-codec.js';

const BATCH = 500;
/**
 * Longest stretch of pair verification (≈0.6 ms a pair) between two turns of the event loop.
 * Verified in one go, the pairs blocked the server — every API request and live event — for the
 * whole batch: 526 ms for the ≈800 pairs of the 300-file corpus, ≈0.9 s for a 500-asset batch.
 */
const VERIFY_SLICE_MS = 20;

/**
 * Near duplicates over in-memory Hamming indexes (one per signature kind), rebuilt from the
 * database on the first analysis after a start. Only assets not yet matched (new or changed since)
 * are probed; their verified edges are stored, so grouping never re-reads pixels.
 */
export class HammingNearDuplicateAnalysis<S> implements NearDuplicateAnalysis {
  private readonly indexes = new Map<string, HammingIndex>();
  private readonly numericId = new Map<string, number>();
  private readonly uuidOf: string[] = [];
  private loaded = false;

  constructor(
    private readonly repo: DuplicateRepository,
    private readonly codec: SignatureCodec<S>,
    private readonly maxRadius: number,
  ) {}

  private idFor(uuid: string): number {
    let n = this.numericId.get(uuid);
    if (n === undefined) {
      n = this.uuidOf.length;
      this.uuidOf.push(uuid);
      this.numericId.set(uuid, n);
    }
    return n;
  }

  private index(name: string): HammingIndex {
    let ix = this.indexes.get(name);
    if (!ix) this.indexes.set(name, (ix = new HammingIndex({ maxRadius: this.maxRadius })));
    return ix;
  }

  private file(row: SignatureRow, s: S): void {
    const id = this.idFor(row.id);
    for (const { index, hex } of this.codec.keys(s)) {
      const ix = this.index(index);
      ix.remove(id);
      const sig = signatureFromHex(hex);
      ix.add(id, sig.hi, sig.lo);
    }
  }

  async updateEdges(ctx: JobContext, thresholds: SimilarityThresholds): Promise<number> {
    // Signature blobs are read once per process to rebuild the index; after that, only those of
    // pictures that still need matching.
    if (!this.loaded) {
      for (const r of await this.repo.matchedSignatures()) this.file(r, this.codec.decode(r.signatures));
      this.loaded = true;
    }
    const stale = await this.repo.unmatchedIds();
    let edges = 0;
    await ctx.reportProgress({ total: stale.length, done: 0 });
    for (let i = 0; i < stale.length && !ctx.signal.aborted; i += BATCH) {
      edges += await this.matchBatch(await this.repo.signaturesByIds(stale.slice(i, i + BATCH)), thresholds);
      await ctx.reportProgress({ done: Math.min(stale.length, i + BATCH) });
    }
    return edges;
  }

  /** Files each asset of the batch, probes the indexes, verifies candidates and stores edges. */
  private async matchBatch(
    batch: readonly SignatureRow[],
    thresholds: SimilarityThresholds,
  ): Promise<number> {
    const rows = new Map<string, SignatureRow>(batch.map((r) => [r.id, r]));
    const sets = new Map(batch.map((r) => [r.id, this.codec.decode(r.signatures)]));
    for (const r of batch) this.file(r, sets.get(r.id) as S);
    await this.repo.deleteEdgesOf(batch.map((r) => r.id));

    // Candidate (P, Q, hint): Q's probe found P; verified as verify(P, Q, hint).
    const candidates = new Map<string, { p: string; q: string; hint: string | undefined }>();
    for (const r of batch) {
      const self = this.numericId.get(r.id);
      for (const probe of this.codec.probes(sets.get(r.id) as S)) {
        const sig = signatureFromHex(probe.hex);
        for (const n of this.index(probe.index).query(sig.hi, sig.lo, probe.radius)) {
          if (n.id === self) continue;
          const p = this.uuidOf[n.id] as string;
          const key = p < r.id ? `${p}|${r.id}` : `${r.id}|${p}`;
          if (!candidates.has(key)) candidates.set(key, { p, q: r.id, hint: probe.hint });
        }
      }
    }
    // Files sharing a capture instant (copies, exports, crops, straightened edits keep it) are
    // verified directly even when their hashes moved too far for the index (similarity-search.ts).
    const keys = [...new Set(batch.flatMap((r) => (r.capture_local ? [r.capture_local] : [])))];
    const byKey = new Map<string, string[]>();
    for (const r of await this.repo.idsByCaptureLocal(keys))
      byKey.set(r.capture_local, [...(byKey.get(r.capture_local) ?? []), r.id]);
    for (const ids of byKey.values()) {
      if (ids.length < 2 || ids.length > MAX_SAME_CAPTURE) continue;
      for (const q of ids.filter((id) => rows.has(id)))
        for (const p of ids) {
          const key = p < q ? `${p}|${q}` : `${q}|${p}`;
          if (p !== q && !candidates.has(key)) candidates.set(key, { p, q, hint: undefined });
        }
    }
    const edges = await this.verifyAll([...candidates.values()], sets, rows, thresholds);
    // Two hops: pictures sharing a neighbour are compared directly (a crop far from its original in
    // Hamming space but close to the original's copy), so star clustering can keep them together.
    const around = await this.repo.edgesTouching([...new Set(edges.flatMap((e) => [e.a, e.b]))]);
    const known = new Set(around.map((e) => pairKey(e.a, e.b)));
    for (const key of candidates.keys()) known.add(key);
    const hops = twoHopPairs([...around, ...edges], known).map(([p, q]) => ({ p, q, hint: undefined }));
    const more = await this.verifyAll(hops, sets, rows, thresholds);
    await this.repo.upsertEdges([...edges, ...more]);
    await this.repo.markMatched(
      batch.map((r) => r.id),
      new Date(),
    );
    return edges.length + more.length;
  }

  private async verifyAll(
    pairs: readonly { p: string; q: string; hint: string | undefined }[],
    sets: Map<string, S>,
    rows: Map<string, SignatureRow>,
    thresholds: SimilarityThresholds,
  ): Promise<StoredEdge[]> {
    const missing = [...new Set(pairs.flatMap((c) => [c.p, c.q]))].filter((id) => !sets.has(id));
    for (const row of await this.repo.signaturesByIds(missing)) {
      sets.set(row.id, this.codec.decode(row.signatures));
      rows.set(row.id, row);
    }
    const edges: StoredEdge[] = [];
    let sliceStart = performance.now();
    for (const { p, q, hint } of pairs) {
      if (performance.now() - sliceStart >= VERIFY_SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
      const sp = sets.get(p);
      const sq = sets.get(q);
      if (!sp || !sq) continue;
      const v = this.codec.verify(sp, sq, hint);
      const distinctCaptures = captureTimesDiffer(rows.get(p)?.capture_local, rows.get(q)?.capture_local);
      const recoloured = (this.codec.recoloured?.(sp, sq) ?? null) !== null;
      const tier = classifyPair(v.score, thresholds, { distinctCaptures, recoloured });
      if (tier !== 'different') edges.push({ a: p, b: q, score: v.score, tier, transform: v.transform });
    }
    return edges;
  }

  /**
   * Groups of both tiers (see domain/near-duplicate-grouping.ts) from the stored edges, respecting
   * "not a duplicate" pairs. A version stack takes part through its primary only: its other
   * members (RAW, edit, Live Photo video) are versions, never duplicates to remove.
   */
  async computeGroups(
    rules: readonly KeeperRule[],
    thresholds: SimilarityThresholds,
  ): Promise<ComputedGroup[]> {
    const excluded = await this.repo.notDuplicatePairs();
    const secondary = await this.repo.versionSecondaryIds();
    const all = (await this.repo.readyEdges(thresholds.similar)).filter(
      (e) => !secondary.has(e.a) && !secondary.has(e.b),
    );
    const assets = new Map<string, AssetRow>();
    const ids = [...new Set(all.flatMap((e) => [e.a, e.b]))];
    for (const a of await this.repo.assetsByIds(ids)) assets.set(a.id, a);
    const rank = (list: readonly string[]) =>
      rankKeepers(
        list.flatMap((id) => {
          const a = assets.get(id);
          return a ? [keeperCandidateOf(a)] : [];
        }),
        rules,
      ).map((r) => r.candidate.id);
    const tiers = groupIntoTiers(all, rank, thresholds, excluded);

    const toGroup = (kind: 'near' | 'similar') => (c: Cluster) => {
      const members = c.members.map((m) => assets.get(m.id)).filter((a): a is AssetRow => a !== undefined);
      const ranked = rankKeepers(members.map(keeperCandidateOf), rules);
      const reason = new Map(ranked.map((r) => [r.candidate.id, r.decidedBy]));
      const minSimilarity = Math.min(...c.members.map((m) => m.score));
      return {
        kind,
        groupKey: groupKey(
          kind,
          c.members.map((m) => m.id),
        ),
        keeperAssetId: c.keeperId,
        bytesReclaimable:
          kind === 'near'
            ? members.filter((m) => m.id !== c.keeperId).reduce((s, m) => s + m.size_bytes, 0)
            : 0,
        minSimilarity,
        confidence: nearGroupConfidence(kind, minSimilarity),
        newestAt: new Date(Math.max(...members.map((m) => m.sort_at.getTime()))),
        members: c.members.map((m, i) => ({
          assetId: m.id,
          rank: i,
          similarity: m.score,
          isKeeper: i === 0,
          keeperReason: reason.get(m.id) ?? null,
        })),
      } satisfies ComputedGroup;
    };
    return [...tiers.duplicates.map(toGroup('near')), ...tiers.similar.map(toGroup('similar'))];
  }
}
