import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { decodeCursor, encodeCursor, positionBefore } from '../cursor.js';
import { gridAssetSchema, presentGridAsset } from '../presenters.js';
import { pageQuery } from '../schemas.js';
import { filterOfQuery, timelineFilterQuery } from './timeline-filter-query.js';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The OpenAPI shape of a grid page (the bytes come from the page cache, already serialised). */
const gridPageSchema = z.object({ items: z.array(gridAssetSchema), nextCursor: z.string().nullable() });

/** The timeline's overview and its grid pages (docs/API.md "Timeline"). */
export const timelineRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/timeline/buckets',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'Per-month card and asset counts of the visible timeline (same assets as GET /api/assets), newest first. Months and days are local to `tz` (an IANA zone, default UTC); a version stack or burst counts as one card per day.',
          querystring: z.object({
            library: z.uuid().optional(),
            ...timelineFilterQuery,
            tz: z
              .string()
              .max(64)
              .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris')
              .default('UTC'),
          }),
        },
      },
      (req) =>
        deps.timeline.buckets(principalOf(req), {
          timeZone: req.query.tz,
          filter: filterOfQuery(req.query),
          ...(req.query.library ? { library: req.query.library } : {}),
        }),
    );

    app.get(
      '/api/timeline/assets',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'A page of the timeline grid: the assets of GET /api/assets (ready, no XMP), in its order and with its cursors, with only what the grid draws. `before` starts strictly before an instant (a month: the start of the next month). ETag + page cache as GET /api/assets; `library` of another user → 404.',
          querystring: z.object({
            ...pageQuery,
            library: z.uuid().optional(),
            before: z.iso.datetime({ offset: true }).optional(),
            ...timelineFilterQuery,
          }),
          response: { 200: gridPageSchema },
        },
      },
      async (req, reply) => {
        const who = principalOf(req);
        return deps.pages.send(req, reply, who, async () => {
          const page = await deps.timeline.gridPage(who, {
            limit: req.query.limit,
            after: decodeCursor(req.query.cursor) ?? positionBefore(req.query.before),
            filter: filterOfQuery(req.query),
            ...(req.query.library ? { library: req.query.library } : {}),
          });
          return {
            items: page.items.map(presentGridAsset),
            nextCursor: page.next && encodeCursor(page.next),
          };
        });
      },
    );
    return Promise.resolve();
  };
