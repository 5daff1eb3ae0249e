import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';

/**
 * What the timeline's filter bar narrows the grid to (every field optional, all must hold):
 * capture time in [from, to), one camera model, one folder (and its subfolders), one file kind,
 * one quality label.
 */
export interface TimelineFilter {
  from?: Date | undefined;
  to?: Date | undefined;
  camera?: string | undefined;
  folder?: string | undefined;
  kind?: string | undefined;
  label?: string | undefined;
}

export function hasFilter(f: TimelineFilter | undefined): f is TimelineFilter {
  return !!f && Object.values(f).some((v) => v !== undefined);
}

/** `folder` as a LIKE prefix of the paths below it (`%` and `_` in folder names match literally). */
export function folderPrefix(folder: string): string {
  const trimmed = folder.endsWith('/') ? folder.slice(0, -1) : folder;
  return `${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
}

/** The filter as conditions on `assets` (the query builder's form). */
export function filterConditions(eb: ExpressionBuilder<Database, 'assets'>, f: TimelineFilter) {
  const all = [];
  if (f.from) all.push(eb('assets.sort_at', '>=', f.from));
  if (f.to) all.push(eb('assets.sort_at', '<', f.to));
  if (f.camera !== undefined) all.push(eb('assets.model', '=', f.camera));
  if (f.folder !== undefined) all.push(eb('assets.path', 'like', folderPrefix(f.folder)));
  if (f.kind !== undefined) all.push(eb('assets.kind', '=', f.kind));
  if (f.label !== undefined)
    all.push(eb(sql`assets.quality_labels`, '@>', sql`${JSON.stringify([f.label])}::jsonb`));
  return eb.and(all);
}

/** The same filter as raw SQL (` and …` clauses on alias `a`), for the aggregate queries. */
export function filterSql(f: TimelineFilter | undefined): RawBuilder<unknown> {
  if (!hasFilter(f)) return sql``;
  const parts: RawBuilder<unknown>[] = [];
  if (f.from) parts.push(sql` and a.sort_at >= ${f.from}`);
  if (f.to) parts.push(sql` and a.sort_at < ${f.to}`);
  if (f.camera !== undefined) parts.push(sql` and a.model = ${f.camera}`);
  if (f.folder !== undefined) parts.push(sql` and a.path like ${folderPrefix(f.folder)}`);
  if (f.kind !== undefined) parts.push(sql` and a.kind = ${f.kind}`);
  if (f.label !== undefined) parts.push(sql` and a.quality_labels @> ${JSON.stringify([f.label])}::jsonb`);
  return sql.join(parts, sql``);
}
