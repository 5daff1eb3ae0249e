/**
 * The user-owned metadata a keeper inherits from a copy that is removed. Pure: the action job reads
 * both sides, calls `mergeMetadata`, writes the result and keeps the keeper's `before` for undo.
 */
export interface MergeableMetadata {
  favourite: boolean;
  rating: number | null;
  tags: string[];
  description: string | null;
  gps: { latitude: number; longitude: number; altitude: number | null } | null;
}

/** Favourite if either is; the highest rating; tags united; descriptions joined without repeats; GPS only when the keeper has none. */
export function mergeMetadata(keeper: MergeableMetadata, removed: MergeableMetadata): MergeableMetadata {
  const rating =
    keeper.rating === null
      ? removed.rating
      : removed.rating === null
        ? keeper.rating
        : Math.max(keeper.rating, removed.rating);
  const tags = [...keeper.tags];
  const seen = new Set(tags.map((t) => t.toLowerCase()));
  for (const t of removed.tags)
    if (!seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      tags.push(t);
    }
  return {
    favourite: keeper.favourite || removed.favourite,
    rating,
    tags,
    description: joinDescriptions(keeper.description, removed.description),
    gps: keeper.gps ?? removed.gps,
  };
}

/** Joins two descriptions; one that is empty or already contained in the other adds nothing. */
export function joinDescriptions(a: string | null, b: string | null): string | null {
  const x = a?.trim() ?? '';
  const y = b?.trim() ?? '';
  if (!x) return y || null;
  if (!y || x.toLowerCase().includes(y.toLowerCase())) return x;
  if (y.toLowerCase().includes(x.toLowerCase())) return y;
  return `${x}\n\n${y}`;
}

export function sameMetadata(a: MergeableMetadata, b: MergeableMetadata): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
