import { z } from 'zod';
import type { TimelineFilter } from '../../db/repositories/timeline-filter.js';
import { InvalidInputError } from '../../errors.js';

/** A day (`2025-06-03`) or an instant with its offset. */
const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The timeline filter bar's query parameters (GET /api/timeline/buckets and /assets). */
export const timelineFilterQuery = {
  /** Captured on or after this day (UTC midnight) or instant. */
  from: dayOrInstant.optional(),
  /** Captured on or before this day (to its end) or strictly before this instant. */
  to: dayOrInstant.optional(),
  /** Camera model exactly as GET /api/timeline/facets lists it. */
  camera: z.string().min(1).max(200).optional(),
  /** A folder on the server: its photos and those of its subfolders. */
  folder: z.string().min(1).max(4096).optional(),
  kind: z.enum(['jpeg', 'png', 'webp', 'avif', 'heic', 'tiff', 'gif', 'bmp', 'raw', 'video']).optional(),
  /** A quality label as GET /api/quality reports them. */
  label: z.enum(['very blurry', 'too dark', 'overexposed', 'corrupted']).optional(),
};

const DAY_MS = 24 * 3600 * 1000;

function instantOf(value: string, endOfDay: boolean): Date {
  if (value.length === 10) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return new Date(endOfDay ? start + DAY_MS : start);
  }
  return new Date(value);
}

export function filterOfQuery(q: {
  from?: string | undefined;
  to?: string | undefined;
  camera?: string | undefined;
  folder?: string | undefined;
  kind?: string | undefined;
  label?: string | undefined;
}): TimelineFilter {
  const from = q.from ? instantOf(q.from, false) : undefined;
  const to = q.to ? instantOf(q.to, true) : undefined;
  if (from && to && from >= to)
    throw new InvalidInputError(`The date range is empty: "from" (${q.from}) must be before "to" (${q.to}).`);
  return { from, to, camera: q.camera, folder: q.folder, kind: q.kind, label: q.label };
}
