import { hammingDistanceHex } from '../phash.js';
import { wallClockMs } from './capture-sanity.js';
import { folderStemKey, splitFileName, type FileName } from './file-name.js';
import type { InsightSubject } from './insight-subject.js';
import { UnionFind } from './union-find.js';

/**
 * Versions of one shot (docs/INSIGHTS.md "Versions"): RAW+JPEG and format exports with the same
 * folder and base name, edits named by a pattern whose picture agrees, and Live Photo pairs.
 * Relatives are stacked under a primary and are never offered for deletion as duplicates.
 */

export type VersionReason = 'same-name' | 'edit' | 'live-photo';

export interface VersionSettings {
  /** Capture times of same-name files must be this close (ms). */
  captureWindowMs: number;
  /**
   * Edit/export name patterns, matched against the base name without extension. The original's
   * base name is the concatenation of the pattern's capture groups (e.g. `^(IMG_)E(\d+)$`).
   */
  editPatterns: readonly RegExp[];
  /** Largest pHash Hamming distance (of 64 bits) at which two pictures still "agree". */
  maxPhashDistance: number;
  /** File kinds in display preference order for the automatic primary; unlisted kinds come last. */
  primaryOrder: readonly string[];
}

export const DEFAULT_EDIT_PATTERNS: readonly string[] = [
  '^(.+)[-_ ]edited$',
  '^(.+) \\(\\d+\\)$',
  '^(IMG_)E(\\d+)$',
  '^(_?DSC[A-Z]?_?\\d+)-\\d{1,2}$',
];

export const DEFAULT_PRIMARY_ORDER: readonly string[] = [
  'jpeg',
  'heic',
  'avif',
  'webp',
  'png',
  'tiff',
  'gif',
  'bmp',
  'raw',
  'video',
];

export const DEFAULT_VERSION_SETTINGS: VersionSettings = {
  captureWindowMs: 2000,
  editPatterns: DEFAULT_EDIT_PATTERNS.map((p) => new RegExp(p, 'i')),
  maxPhashDistance: 10,
  primaryOrder: DEFAULT_PRIMARY_ORDER,
};

export interface VersionStack {
  /** Member ids, primary first. */
  memberIds: string[];
  primaryId: string;
  /** What the rules would choose without the user's override. */
  autoPrimaryId: string;
  reasons: VersionReason[];
}

const picturesAgree = (a: InsightSubject, b: InsightSubject, maxDistance: number): boolean =>
  a.phash !== null && b.phash !== null && hammingDistanceHex(a.phash, b.phash) <= maxDistance;

/** The original base name an edit pattern points at, or null when no pattern matches. */
export function editedFrom(stem: string, patterns: readonly RegExp[]): string | null {
  for (const p of patterns) {
    const m = p.exec(stem);
    if (m && m.length > 1) return m.slice(1).join('');
  }
  return null;
}

/**
 * Stacks the subjects. `overrides` are asset ids the user chose as primary: a stack containing one
 * keeps it as primary whatever the rules say, so the choice survives re-analysis.
 */
export function stackVersions(
  subjects: readonly InsightSubject[],
  settings: VersionSettings,
  overrides: ReadonlySet<string>,
  nowMs: number,
): VersionStack[] {
  const byId = new Map(subjects.map((s) => [s.id, s]));
  const latest = nowMs + 86_400_000;
  const uf = new UnionFind();
  const reasons = new Map<string, Set<VersionReason>>();
  const link = (a: InsightSubject, b: InsightSubject, why: VersionReason) => {
    // Identical bytes are copies (exact duplicates), never versions of each other.
    if (a.id === b.id || (a.sha256 !== null && a.sha256 === b.sha256)) return;
    uf.union(a.id, b.id);
    for (const id of [a.id, b.id]) {
      const set = reasons.get(id) ?? new Set<VersionReason>();
      set.add(why);
      reasons.set(id, set);
    }
  };

  // Names and clocks are parsed once per file, not once per comparison.
  const names = new Map(subjects.map((s) => [s.id, splitFileName(s.path)]));
  const clocks = new Map(subjects.map((s) => [s.id, wallClockMs(s.captureLocal, latest)]));
  const nameOf = (s: InsightSubject) => names.get(s.id) as FileName;

  const byName = new Map<string, InsightSubject[]>();
  for (const s of subjects) {
    if (s.kind === 'xmp' || s.kind === 'unknown') continue;
    const key = folderStemKey(nameOf(s));
    const list = byName.get(key);
    if (list) list.push(s);
    else byName.set(key, [s]);
  }

  // Same folder and base name: one shot in several formats when the clocks agree (or, lacking a
  // trustworthy time on either side, when the pictures agree).
  for (const group of byName.values()) {
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as InsightSubject;
        const b = group[j] as InsightSubject;
        if (nameOf(a).extension === nameOf(b).extension) continue;
        const ta = clocks.get(a.id) ?? null;
        const tb = clocks.get(b.id) ?? null;
        const sameMoment =
          ta !== null && tb !== null
            ? Math.abs(ta - tb) <= settings.captureWindowMs
            : picturesAgree(a, b, settings.maxPhashDistance);
        if (sameMoment) link(a, b, 'same-name');
      }
  }

  // Edits and exports named after an original in the same folder, only when the picture agrees:
  // `IMG_1234 (1).jpg` of a different photo is not a version.
  for (const s of subjects) {
    const name = nameOf(s);
    const original = editedFrom(name.stem, settings.editPatterns);
    if (original === null) continue;
    for (const o of byName.get(folderStemKey({ ...name, stem: original })) ?? [])
      if (picturesAgree(s, o, settings.maxPhashDistance)) link(s, o, 'edit');
  }

  // Live Photos: the still and its video share Apple's content identifier.
  const byContent = new Map<string, InsightSubject>();
  for (const s of subjects) {
    if (!s.contentIdentifier) continue;
    const first = byContent.get(s.contentIdentifier);
    if (first) link(first, s, 'live-photo');
    else byContent.set(s.contentIdentifier, s);
  }

  return uf.groups().map((ids) => {
    const members = ids.map((id) => byId.get(id) as InsightSubject);
    const ranked = rankPrimary(members, settings.primaryOrder);
    const autoPrimaryId = (ranked[0] as InsightSubject).id;
    const chosen = ranked.find((m) => overrides.has(m.id));
    const primaryId = chosen?.id ?? autoPrimaryId;
    const why = new Set<VersionReason>();
    for (const id of ids) for (const r of reasons.get(id) ?? []) why.add(r);
    return {
      memberIds: [primaryId, ...ranked.map((m) => m.id).filter((id) => id !== primaryId)],
      primaryId,
      autoPrimaryId,
      reasons: [...why].sort(),
    };
  });
}

/** Display preference: kind order, then more pixels, then the shorter (original-looking) path. */
function rankPrimary(members: readonly InsightSubject[], order: readonly string[]): InsightSubject[] {
  const kindRank = (k: string | null) => {
    const i = k === null ? -1 : order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const pixels = (m: InsightSubject) => (m.width ?? 0) * (m.height ?? 0);
  return [...members].sort(
    (a, b) =>
      kindRank(a.kind) - kindRank(b.kind) ||
      pixels(b) - pixels(a) ||
      a.path.length - b.path.length ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}
