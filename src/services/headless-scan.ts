import type { Cluster } from '../domain/duplicate-clustering.js';
import { rankKeepers, type KeeperCandidate, type KeeperRule } from '../domain/keeper-ranking.js';
import { groupIntoTiers, type TierThresholds } from '../domain/near-duplicate-grouping.js';
import type { SignatureCodec } from '../domain/signature-codec.js';
import { captureTimesDiffer, classifyPair, similarityPercent } from '../domain/near-duplicate/index.js';
import { nearGroupConfidence, similarityShare } from '../domain/near-duplicate-codec.js';
import { findSimilarityEdges } from '../domain/similarity-search.js';
import { contentMemo, type ContentMemo, type MediaAnalysis } from '../media/media-analysis.js';
import type {
  ReportExactGroup,
  ReportNearGroup,
  ReportUnreadable,
  ScanReport,
} from '../report/scan-report.js';
import {
  collectFiles,
  exactFromHashes,
  exactOnlyScan,
  type ScanProgress,
  type WalkedFile,
} from './headless-exact.js';
import { validateLibraryRoot } from './library.service.js';
import { costliestFirst } from '../domain/analysis-order.js';
import { plausiblePosition } from '../domain/insights/capture-sanity.js';
import type { InsightSettings } from '../domain/insights/analyse-insights.js';
import type { InsightSubject } from '../domain/insights/insight-subject.js';
import type { CityLookup } from '../domain/insights/place-clustering.js';
import { emptyInsightSections, insightSections, type InsightSections } from '../report/insight-report.js';
import { headlessInsights, insightSubjectFromAnalysis } from './headless-insights.js';
import { candidateOf } from './headless-candidate.js';

export type { ScanStage } from './headless-exact.js';

export interface HeadlessScanOptions<S> {
  roots: string[];
  exactOnly: boolean;
  thresholds: TierThresholds;
  concurrency: number;
  /** Reads and analyses one file (no thumbnail needed); throws errno errors when unreadable. */
  analyze: (absPath: string, sameContent: ContentMemo) => Promise<MediaAnalysis>;
  codec: SignatureCodec<S>;
  maxRadius: number;
  exactRules: readonly KeeperRule[];
  nearRules: readonly KeeperRule[];
  /** Versions, bursts, quality and suggestions (skipped with `exactOnly`). */
  insights: InsightSettings;
  /** Loads the offline gazetteer for place names (only when a photo has a usable position). */
  loadCities: () => Promise<CityLookup>;
  onProgress?: ScanProgress;
  /** Receives every analysed file's insight subject, sorted by path. */
  onSubjects?: (subjects: readonly InsightSubject[]) => void;
}

/** What the near-duplicate stage keeps of each analysed picture (not its pixels). */
interface Analysed {
  candidate: KeeperCandidate;
  sha256: string;
  set: unknown;
  /** Camera wall-clock capture time: two different ones mean two exposures, never duplicates. */
  captureLocal: string | null;
}

const codeOfErrno = (err: unknown): string => (err as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';

/**
 * The headless scan behind `photo-sync scan`: no database, no server. Streams the walk, finds exact
 * duplicates (size → partial hash → full hash → byte comparison) and, unless `exactOnly`, near
 * duplicates and similar shots through the same signatures, index and clustering as the server.
 */
export async function runHeadlessScan<S>(opts: HeadlessScanOptions<S>): Promise<ScanReport> {
  const started = performance.now();
  const roots = await Promise.all(opts.roots.map((r) => validateLibraryRoot(r)));
  const unreadable: ReportUnreadable[] = [];
  let scanned: { files: number; bytes: number };
  let exact: ReportExactGroup[];
  let near: ReportNearGroup[] = [];
  let similar: ReportNearGroup[] = [];
  let sections: InsightSections = emptyInsightSections();
  if (opts.exactOnly) {
    const walked = await exactOnlyScan(roots, opts, unreadable);
    scanned = walked;
    exact = walked.groups;
  } else {
    const files: WalkedFile[] = [];
    scanned = await collectFiles(roots, files, unreadable, opts.onProgress);
    const subjects: InsightSubject[] = [];
    // The gazetteer loads on the main thread while it mostly waits for decodes, as soon as a photo
    // with a position shows that place names will be needed.
    let cities: Promise<CityLookup> | null = null;
    const loadCities = () => (cities ??= opts.loadCities());
    const analysed = await analyseAll(files, opts, unreadable, (subject) => {
      subjects.push(subject);
      if (cities === null && plausiblePosition(subject.gpsLatitude, subject.gpsLongitude) !== null)
        loadCities().catch(() => undefined);
    });
    exact = await exactFromHashes(analysed, opts.exactRules);
    subjects.sort((a, b) => (a.path < b.path ? -1 : 1));
    opts.onSubjects?.(subjects);
    const { insights, secondary } = await headlessInsights(subjects, opts.insights, loadCities);
    const formats = new Map(subjects.map((s) => [s.path, s.kind]));
    sections = insightSections(insights, (p) => formats.get(p) ?? null);
    // Version relatives (RAW, edits, Live Photo videos) are never duplicates: only a stack's
    // primary is matched.
    const withSets = analysed
      .filter((a) => a.set !== null && !secondary.has(a.candidate.id))
      .map((a) => ({ id: a.candidate.id, set: a.set as S, captureLocal: a.captureLocal }));
    const edges = findSimilarityEdges(withSets, opts.codec, {
      classify: (p, q, score) =>
        classifyPair(score, opts.thresholds, {
          distinctCaptures: captureTimesDiffer(p.captureLocal, q.captureLocal),
          recoloured: (opts.codec.recoloured?.(p.set, q.set) ?? null) !== null,
        }),
      maxRadius: opts.maxRadius,
      captureKey: (item) => item.captureLocal,
      onProgress: (d, t) => opts.onProgress?.('match', d, t),
    });
    const candidates = new Map(analysed.map((a) => [a.candidate.id, a.candidate]));
    const rank = (ids: readonly string[]) =>
      rankKeepers(
        ids.map((id) => candidates.get(id) as KeeperCandidate),
        opts.nearRules,
      ).map((r) => r.candidate.id);
    const tiers = groupIntoTiers(edges, rank, opts.thresholds);
    near = tiers.duplicates.map((c) => nearGroup(c, candidates, opts.nearRules, 'near'));
    similar = tiers.similar.map((c) => nearGroup(c, candidates, opts.nearRules, 'similar'));
  }

  const removable = (g: { members: unknown[] }) => g.members.length - 1;
  return {
    format: 'photo-sync-report',
    version: 2,
    generatedAt: new Date().toISOString(),
    roots,
    options: {
      threshold: Math.round(similarityPercent(opts.thresholds.duplicate)),
      similarThreshold: Math.round(similarityPercent(opts.thresholds.similar)),
      exactOnly: opts.exactOnly,
    },
    summary: {
      filesScanned: scanned.files,
      bytesScanned: scanned.bytes,
      exactGroups: exact.length,
      nearGroups: near.length,
      similarGroups: similar.length,
      duplicateFiles:
        exact.reduce((s, g) => s + removable(g), 0) + near.reduce((s, g) => s + removable(g), 0),
      bytesReclaimable:
        exact.reduce((s, g) => s + g.sizeBytes * removable(g), 0) +
        near.reduce((s, g) => s + g.bytesReclaimable, 0),
      unreadable: unreadable.length,
      versionStacks: sections.versions.length,
      bursts: sections.bursts.length,
      lowQuality: sections.quality.length,
      suggestions: sections.suggestions.length,
      wallSeconds: Math.round((performance.now() - started) / 10) / 100,
    },
    exact,
    near,
    similar,
    unreadable: unreadable.sort((a, b) => (a.path < b.path ? -1 : 1)),
    ...sections,
  };
}

async function analyseAll<S>(
  files: readonly WalkedFile[],
  opts: HeadlessScanOptions<S>,
  unreadable: ReportUnreadable[],
  onSubject: (subject: InsightSubject) => void,
): Promise<Analysed[]> {
  const out: Analysed[] = [];
  // A file of the same size as an earlier one is probably its copy: it goes last, so it finds the
  // content analysed (copies are decoded once, see sameContent) instead of waiting for it.
  const sizes = new Set<number>();
  const firsts: WalkedFile[] = [];
  const likelyCopies: WalkedFile[] = [];
  for (const f of costliestFirst(files)) {
    if (sizes.has(f.sizeBytes)) likelyCopies.push(f);
    else firsts.push(f);
    sizes.add(f.sizeBytes);
  }
  const queue = [...firsts, ...likelyCopies];
  const sameContent = contentMemo();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < queue.length) {
        const f = queue[next++] as WalkedFile;
        try {
          const a = await opts.analyze(f.path, sameContent);
          // Corrupted pictures stay unreadable for duplicates but are flagged by quality.
          if (a.problem?.code !== 'unsupported') onSubject(insightSubjectFromAnalysis(f, a));
          if (a.problem && a.problem.code !== 'needs-ffmpeg') {
            unreadable.push({ path: f.path, code: a.problem.code, reason: a.problem.message });
          } else {
            out.push({
              sha256: a.sha256,
              set: a.signatures ? opts.codec.decode(a.signatures) : null,
              captureLocal: a.metadata.captureLocal,
              candidate: candidateOf(f, a),
            });
          }
        } catch (err) {
          const code = codeOfErrno(err);
          unreadable.push({
            path: f.path,
            code: 'unreadable',
            reason:
              code === 'ENOENT'
                ? 'deleted during the scan'
                : err instanceof Error
                  ? err.message
                  : String(err),
          });
        }
        opts.onProgress?.('analyse', ++done, queue.length);
      }
    }),
  );
  return out.sort((a, b) => (a.candidate.path < b.candidate.path ? -1 : 1));
}

function nearGroup(
  c: Cluster,
  candidates: ReadonlyMap<string, KeeperCandidate>,
  rules: readonly KeeperRule[],
  kind: 'near' | 'similar',
): ReportNearGroup {
  const members = c.members.map((m) => ({ ...m, c: candidates.get(m.id) as KeeperCandidate }));
  const reasons = new Map(
    rankKeepers(
      members.map((m) => m.c),
      rules,
    ).map((r) => [r.candidate.id, r.decidedBy]),
  );
  const minSimilarity = Math.min(...members.map((m) => m.score));
  return {
    keeper: c.keeperId,
    minSimilarity: similarityShare(minSimilarity),
    confidence: nearGroupConfidence(kind, minSimilarity),
    bytesReclaimable: kind === 'near' ? members.slice(1).reduce((s, m) => s + m.c.sizeBytes, 0) : 0,
    members: members.map((m, i) => ({
      path: m.id,
      keeper: i === 0,
      similarity: similarityShare(m.score),
      sizeBytes: m.c.sizeBytes,
      format: m.c.kind,
      width: m.c.width,
      height: m.c.height,
      reason: reasons.get(m.id) ?? null,
    })),
  };
}
