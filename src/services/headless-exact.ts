import { stat } from 'node:fs/promises';
import { rankKeepers, type KeeperCandidate, type KeeperRule } from '../domain/keeper-ranking.js';
import { filesHaveSameBytes } from '../fs/byte-compare.js';
import { ExactDuplicateFinder } from '../fs/exact-duplicates.js';
import {
  walkFiles,
  walkFilesSync,
  type WalkEntry,
  type WalkedFile as WalkedEntryFile,
} from '../fs/walk-files.js';
import type { ReportExactGroup, ReportUnreadable } from '../report/scan-report.js';

/**
 * The headless scan's walk and exact-duplicate stage: the streaming walk that feeds the full
 * analysis, the exact-only fast path (size buckets on a synchronous walk, heads hashed on worker
 * threads), and exact groups from the hashes a full analysis already has.
 */

export type ScanStage = 'walk' | 'exact' | 'analyse' | 'match';
export type ScanProgress = (stage: ScanStage, done: number, total: number) => void;

export interface WalkedFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** What exact grouping needs of an analysed picture. */
export interface HashedFile {
  candidate: KeeperCandidate;
  sha256: string;
}

const EMPTY_FILE = 'The file is empty (0 bytes).';

/**
 * Counts a walked entry into `tally` and records what cannot take part (a problem, an empty file) as
 * unreadable; returns the file when it can.
 */
function tallied(
  e: WalkEntry,
  tally: { files: number; bytes: number },
  unreadable: ReportUnreadable[],
): WalkedEntryFile | null {
  if (e.type === 'problem') {
    unreadable.push({ path: e.path, code: 'unreadable', reason: e.message });
    return null;
  }
  tally.files++;
  tally.bytes += e.sizeBytes;
  if (e.sizeBytes > 0) return e;
  unreadable.push({ path: e.path, code: 'empty', reason: EMPTY_FILE });
  return null;
}

/** Streams the walk of every root into `files` (what the full analysis needs of each). */
export async function collectFiles(
  roots: readonly string[],
  files: WalkedFile[],
  unreadable: ReportUnreadable[],
  onProgress: ScanProgress | undefined,
): Promise<{ files: number; bytes: number }> {
  const tally = { files: 0, bytes: 0 };
  for (const root of roots) {
    for await (const e of walkFiles(root)) {
      const file = tallied(e, tally, unreadable);
      if (file) files.push({ path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs });
      if (file && tally.files % 1000 === 0) onProgress?.('walk', tally.files, 0);
    }
  }
  return tally;
}

/**
 * The exact-only fast path: a synchronous walk feeds the finder, which hashes the files of every
 * size seen twice on worker threads while the walk goes on. Nothing is kept per file but its path and
 * size (mtimes are read again for group members only).
 */
export async function exactOnlyScan(
  roots: readonly string[],
  opts: { exactRules: readonly KeeperRule[]; onProgress?: ScanProgress | undefined },
  unreadable: ReportUnreadable[],
): Promise<{ files: number; bytes: number; groups: ReportExactGroup[] }> {
  const finder = new ExactDuplicateFinder({ onProgress: (d, t) => opts.onProgress?.('exact', d, t) });
  const tally = { files: 0, bytes: 0 };
  try {
    for (const root of roots) {
      for (const e of walkFilesSync(root)) {
        const file = tallied(e, tally, unreadable);
        if (file) finder.add(file.path, file.sizeBytes);
        if (file && tally.files % 10_000 === 0) opts.onProgress?.('walk', tally.files, 0);
      }
    }
  } catch (error) {
    await finder.finish().catch(() => undefined);
    throw error;
  }
  const result = await finder.finish();
  for (const u of result.unreadable) unreadable.push({ path: u.path, code: 'unreadable', reason: u.reason });
  const groups: ReportExactGroup[] = [];
  for (const g of result.groups) {
    const members = await Promise.all(
      g.paths.map(async (p) => ({ path: p, sizeBytes: g.sizeBytes, mtimeMs: (await stat(p)).mtimeMs })),
    ).catch(() => null);
    // A member deleted since it was hashed leaves a group that is no longer proven.
    if (members) groups.push(exactGroup(g.sha256, members, g.byteIdentical, opts.exactRules));
  }
  return { ...tally, groups };
}

function exactGroup(
  sha256: string,
  members: readonly { path: string; sizeBytes: number; mtimeMs: number }[],
  byteIdentical: boolean,
  rules: readonly KeeperRule[],
): ReportExactGroup {
  const ranked = rankKeepers(
    members.map((m) => ({
      id: m.path,
      path: m.path,
      kind: null,
      sizeBytes: m.sizeBytes,
      mtimeMs: m.mtimeMs,
      width: null,
      height: null,
      capturedAtMs: null,
      sharpness: null,
      metadataFields: 0,
      inAlbum: false,
    })),
    rules,
  );
  return {
    sha256,
    sizeBytes: members[0]?.sizeBytes ?? 0,
    byteIdentical,
    confidence: byteIdentical ? 'green' : 'yellow',
    keeper: ranked[0]?.candidate.path ?? '',
    members: ranked.map((r, i) => ({ path: r.candidate.path, keeper: i === 0, reason: r.decidedBy })),
  };
}

/** Full mode already hashed every file: group by SHA-256, then prove each group byte for byte. */
export async function exactFromHashes(
  analysed: readonly HashedFile[],
  rules: readonly KeeperRule[],
): Promise<ReportExactGroup[]> {
  const bySha = new Map<string, HashedFile[]>();
  for (const a of analysed) {
    const list = bySha.get(a.sha256);
    if (list) list.push(a);
    else bySha.set(a.sha256, [a]);
  }
  const groups: ReportExactGroup[] = [];
  for (const [sha, members] of bySha) {
    if (members.length < 2) continue;
    const first = members[0] as HashedFile;
    let identical = true;
    for (const m of members.slice(1))
      identical &&= await filesHaveSameBytes(first.candidate.path, m.candidate.path).catch(() => false);
    groups.push(
      exactGroup(
        sha,
        members.map((m) => m.candidate),
        identical,
        rules,
      ),
    );
  }
  return groups.sort((a, b) => b.sizeBytes * (b.members.length - 1) - a.sizeBytes * (a.members.length - 1));
}
