import type { InsightSections } from './insight-report.js';

/**
 * The headless scan report (`photo-sync scan --report out.json`), version 2 (version 1 plus the
 * insight sections; `near`/`similar` no longer group version relatives). Documented in
 * docs/REPORT.md; fields are only ever added, never renamed or removed, within a major version.
 */
export interface ScanReport extends InsightSections {
  format: 'photo-sync-report';
  version: 2;
  generatedAt: string;
  roots: string[];
  options: { threshold: number; similarThreshold: number; exactOnly: boolean };
  summary: {
    filesScanned: number;
    bytesScanned: number;
    exactGroups: number;
    nearGroups: number;
    similarGroups: number;
    /** Files that could be removed (every member but the keeper, exact and near duplicates). */
    duplicateFiles: number;
    bytesReclaimable: number;
    unreadable: number;
    /** Insight counts (0 with --exact-only, which reads no pictures). */
    versionStacks: number;
    bursts: number;
    lowQuality: number;
    suggestions: number;
    wallSeconds: number;
  };
  exact: ReportExactGroup[];
  near: ReportNearGroup[];
  similar: ReportNearGroup[];
  unreadable: ReportUnreadable[];
}

export interface ReportExactGroup {
  sha256: string;
  sizeBytes: number;
  /** Every copy was compared byte for byte with the keeper. */
  byteIdentical: boolean;
  confidence: 'green' | 'yellow';
  keeper: string;
  members: { path: string; keeper: boolean; reason: string | null }[];
}

export interface ReportNearGroup {
  keeper: string;
  minSimilarity: number;
  confidence: 'yellow' | 'orange';
  bytesReclaimable: number;
  members: {
    path: string;
    keeper: boolean;
    /** Similarity to the keeper, 0..1. */
    similarity: number;
    sizeBytes: number;
    format: string | null;
    width: number | null;
    height: number | null;
    reason: string | null;
  }[];
}

export interface ReportUnreadable {
  path: string;
  /** `empty`, `corrupted`, `unsupported`, `unreadable`, `needs-ffmpeg`. */
  code: string;
  reason: string;
}

function csvField(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per group member: spreadsheet-friendly, same content as the JSON groups. */
export function reportToCsv(report: ScanReport): string {
  const rows: (string | number | boolean | null)[][] = [
    ['group', 'kind', 'confidence', 'keeper', 'similarity', 'size_bytes', 'path'],
  ];
  report.exact.forEach((g, i) => {
    for (const m of g.members)
      rows.push([`exact-${i + 1}`, 'exact', g.confidence, m.keeper, 1, g.sizeBytes, m.path]);
  });
  for (const [kind, groups] of [
    ['near', report.near],
    ['similar', report.similar],
  ] as const) {
    groups.forEach((g, i) => {
      for (const m of g.members)
        rows.push([
          `${kind}-${i + 1}`,
          kind,
          g.confidence,
          m.keeper,
          Number(m.similarity.toFixed(4)),
          m.sizeBytes,
          m.path,
        ]);
    });
  }
  for (const u of report.unreadable) rows.push(['', 'unreadable', '', false, null, null, u.path]);
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
