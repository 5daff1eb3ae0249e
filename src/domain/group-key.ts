import { createHash } from 'node:crypto';

/**
 * Identity of a duplicate group: its kind and the set of its members. Recomputing the groups
 * yields the same key for the same files, so a group keeps its id and the user's decision.
 */
export function groupKey(kind: string, memberIds: readonly string[]): string {
  const digest = createHash('sha256')
    .update([...memberIds].sort().join(','))
    .digest('base64url');
  return `${kind}:${digest}`;
}
