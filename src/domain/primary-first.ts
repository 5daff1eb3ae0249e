/**
 * A stack's members with its primary first, the rest in their order: Immich makes the first asset
 * of a new stack its primary. An unknown or absent primary leaves the order as it was.
 */
export function primaryFirst(primaryId: string | null, ids: readonly string[]): string[] {
  return primaryId !== null && ids.includes(primaryId)
    ? [primaryId, ...ids.filter((id) => id !== primaryId)]
    : [...ids];
}
