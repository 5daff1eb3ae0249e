import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { idParams, pageQuery } from '../schemas.js';

const isoOfMs = (ms: number) => new Date(ms).toISOString();

/** A map view's bounds (degrees); the west edge may not pass the east one (no antimeridian wrap). */
const boxQuery = {
  south: z.coerce.number().min(-90).max(90).default(-90),
  north: z.coerce.number().min(-90).max(90).default(90),
  west: z.coerce.number().min(-180).max(180).default(-180),
  east: z.coerce.number().min(-180).max(180).default(180),
};

function boxOf(q: { south: number; north: number; west: number; east: number }) {
  if (q.south > q.north)
    throw new InvalidInputError(`south (${q.south}) must not be above north (${q.north}).`);
  if (q.west > q.east) throw new InvalidInputError(`west (${q.west}) must not be east of east (${q.east}).`);
  return { south: q.south, north: q.north, west: q.west, east: q.east };
}

const thumbnailUrlOf = (id: string, has: boolean) => (has ? `/api/assets/${id}/thumbnail` : null);

/** Problems (unreadable files), the map, the timeline filter's choices and server capabilities. */
export const exploreRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/problems',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'Files with a problem, most recently changed first: unreadable, unrecognised or empty files (status failed, tried again on each scan) and files indexed with a defect (corrupted, needs-ffmpeg). `counts` (first page only) counts them by code.',
          querystring: z.object({
            ...pageQuery,
            library: z.uuid().optional(),
            status: z.enum(['failed', 'all']).default('all'),
          }),
        },
      },
      async (req) => {
        const page = await deps.explore.problems(principalOf(req), {
          limit: req.query.limit,
          after: decodeCursor(req.query.cursor),
          failedOnly: req.query.status === 'failed',
          ...(req.query.library ? { library: req.query.library } : {}),
        });
        return {
          items: page.items.map((p) => ({
            assetId: p.id,
            libraryId: p.library_id,
            libraryName: p.library_name,
            path: p.path,
            status: p.status,
            kind: p.kind,
            code: p.problem_code,
            reason: p.problem_message ?? p.problem_code,
            attempts: p.attempts,
            sizeBytes: p.size_bytes,
            updatedAt: isoOfMs(p.updated_ms),
          })),
          counts: page.counts,
          nextCursor: page.next && encodeCursor(page.next),
        };
      },
    );

    app.get(
      '/api/jobs/:id/failures',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'The files a job failed on and why: failed items of a removal, or the files a scan could not index while it ran (at most 50; GET /api/problems lists all).',
          params: idParams,
        },
      },
      async (req) => ({ items: await deps.explore.jobFailures(principalOf(req), req.params.id) }),
    );

    app.get(
      '/api/map/clusters',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'Geotagged photos in the box grouped into grid cells (45° wide at zoom 0, halving per zoom level): each cluster with its count, mean position, cell bounds and newest photo.',
          querystring: z.object({
            ...boxQuery,
            zoom: z.coerce.number().int().min(0).max(20).default(0),
            library: z.uuid().optional(),
          }),
        },
      },
      async (req) => {
        const result = await deps.explore.clusters(principalOf(req), {
          box: boxOf(req.query),
          zoom: req.query.zoom,
          ...(req.query.library ? { library: req.query.library } : {}),
        });
        return {
          zoom: req.query.zoom,
          cellDegrees: result.cellDegrees,
          clusters: result.clusters.map((c) => ({
            latitude: c.latitude,
            longitude: c.longitude,
            count: c.count,
            bounds: { south: c.south, west: c.west, north: c.north, east: c.east },
            sampleAssetId: c.sample_id,
            thumbnailUrl: thumbnailUrlOf(c.sample_id, c.sample_has_thumbnail),
          })),
        };
      },
    );

    app.get(
      '/api/map/assets',
      {
        config: { auth: 'user' },
        schema: {
          description: 'The geotagged photos inside the box, newest first (what a map cluster opens).',
          querystring: z.object({
            ...boxQuery,
            limit: z.coerce.number().int().min(1).max(500).default(100),
            library: z.uuid().optional(),
          }),
        },
      },
      async (req) => {
        const rows = await deps.explore.mapAssets(principalOf(req), {
          box: boxOf(req.query),
          limit: req.query.limit,
          ...(req.query.library ? { library: req.query.library } : {}),
        });
        return {
          items: rows.map((r) => ({
            id: r.id,
            path: r.path,
            kind: r.kind,
            latitude: r.latitude,
            longitude: r.longitude,
            takenAt: isoOfMs(r.sort_ms),
            thumbnailUrl: thumbnailUrlOf(r.id, r.has_thumbnail),
          })),
        };
      },
    );

    app.get(
      '/api/timeline/facets',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'What the timeline filter offers: camera models, file kinds, quality labels and folders of the visible photos, with counts.',
          querystring: z.object({ library: z.uuid().optional() }),
        },
      },
      async (req) =>
        deps.explore.facets(principalOf(req), req.query.library ? { library: req.query.library } : {}),
    );

    app.get(
      '/api/capabilities',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'What this server can do: `ffmpeg` true/false when this process reads media (null in the split deployment, where workers do), and how many of your videos were indexed without ffmpeg (no thumbnail until it is installed and the library rescanned).',
        },
      },
      async (req) => deps.explore.capabilities(principalOf(req)),
    );
    return Promise.resolve();
  };
