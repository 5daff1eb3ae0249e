import { folderOrganisationScore, looksLikeCopyName } from './folder-organisation.js';

/** What keeper rules look at; plain data about one group member. */
export interface KeeperCandidate {
  id: string;
  path: string;
  kind: string | null;
  sizeBytes: number;
  mtimeMs: number;
  width: number | null;
  height: number | null;
  /** Capture instant in ms, or null. */
  capturedAtMs: number | null;
  /** Laplacian variance; higher is sharper. */
  sharpness: number | null;
  /** Count of descriptive metadata fields present (date, camera, GPS, lens, rating, description…). */
  metadataFields: number;
  inAlbum: boolean;
  /**
   * The file still carries what the camera wrote: a camera make or model and the original capture
   * time. A conversion or messenger copy usually lost both.
   */
  cameraOriginal?: boolean;
}

/** Every rule the user can put in an ordered list, best-first comparison. */
export const keeperRuleNames = [
  'in-album',
  'organised-folder',
  'oldest-mtime',
  'clean-name',
  'camera-original',
  'original-format',
  'resolution',
  'file-size',
  'metadata',
  'sharpness',
  'oldest-capture',
] as const;

export type KeeperRule = (typeof keeperRuleNames)[number];

/** Identical bytes: only where and how the copy is filed can differ. */
export const defaultExactKeeperRules: readonly KeeperRule[] = [
  'in-album',
  'organised-folder',
  'oldest-mtime',
  'clean-name',
];

/**
 * The same picture in different files: prefer the most original, complete, detailed one. The file with
 * the camera's metadata and capture time comes first, so a metadata-less HEIC or PNG conversion of a
 * camera JPEG never becomes the keeper because of its format. More pixels still come first: a
 * camera file is preferred over a conversion of the same size, not over a larger original.
 */
export const defaultNearKeeperRules: readonly KeeperRule[] = [
  'resolution',
  'camera-original',
  'original-format',
  'file-size',
  'metadata',
  'sharpness',
  'oldest-capture',
  'in-album',
];

/** Higher = more original. RAW and HEIC are what the camera wrote; JPEG/PNG/WebP are usually exports. */
const formatOriginality: Record<string, number> = {
  raw: 5,
  heic: 4,
  tiff: 3,
  jpeg: 2,
  avif: 1,
  png: 1,
  webp: 0,
  gif: 0,
  bmp: 0,
};

type Comparator = (a: KeeperCandidate, b: KeeperCandidate) => number;

const preferHigher =
  (f: (c: KeeperCandidate) => number | null): Comparator =>
  (a, b) =>
    (f(b) ?? -Infinity) - (f(a) ?? -Infinity);
const preferLower =
  (f: (c: KeeperCandidate) => number | null): Comparator =>
  (a, b) =>
    (f(a) ?? Infinity) - (f(b) ?? Infinity);

/** Sharpness differences under 10% are noise (recompression), not a real difference. */
const sharperBy10Percent: Comparator = (a, b) => {
  const x = a.sharpness ?? 0;
  const y = b.sharpness ?? 0;
  return Math.abs(x - y) <= 0.1 * Math.max(x, y) ? 0 : y - x;
};

const comparators: Record<KeeperRule, Comparator> = {
  'in-album': preferHigher((c) => (c.inAlbum ? 1 : 0)),
  'organised-folder': preferHigher((c) => folderOrganisationScore(c.path)),
  'oldest-mtime': preferLower((c) => c.mtimeMs),
  'clean-name': preferHigher((c) => (looksLikeCopyName(c.path) ? 0 : 1)),
  'camera-original': preferHigher((c) => (c.cameraOriginal === true ? 1 : 0)),
  'original-format': preferHigher((c) => formatOriginality[c.kind ?? ''] ?? 0),
  resolution: preferHigher((c) => (c.width ?? 0) * (c.height ?? 0)),
  'file-size': preferHigher((c) => c.sizeBytes),
  metadata: preferHigher((c) => c.metadataFields),
  sharpness: sharperBy10Percent,
  'oldest-capture': preferLower((c) => c.capturedAtMs),
};

export interface RankedCandidate {
  candidate: KeeperCandidate;
  /** The rule that put this candidate behind the one before it (null for the first). */
  decidedBy: KeeperRule | 'path' | null;
}

/**
 * Orders candidates best-first by the rule list: the first rule that tells two candidates apart
 * decides; the path breaks remaining ties so the result never depends on input order.
 */
export function rankKeepers(
  candidates: readonly KeeperCandidate[],
  rules: readonly KeeperRule[],
): RankedCandidate[] {
  const compare = (a: KeeperCandidate, b: KeeperCandidate): [number, KeeperRule | 'path'] => {
    for (const rule of rules) {
      const c = comparators[rule](a, b);
      if (c !== 0) return [c, rule];
    }
    return [a.path < b.path ? -1 : a.path > b.path ? 1 : 0, 'path'];
  };
  const sorted = [...candidates].sort((a, b) => compare(a, b)[0]);
  return sorted.map((candidate, i) => ({
    candidate,
    decidedBy: i === 0 ? null : compare(sorted[i - 1] as KeeperCandidate, candidate)[1],
  }));
}

export function isKeeperRule(name: string): name is KeeperRule {
  return (keeperRuleNames as readonly string[]).includes(name);
}
