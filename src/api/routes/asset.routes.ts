import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor, positionBefore } from '../cursor.js';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { presentAsset } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

export const assetRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/assets',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({
            ...pageQuery,
            library: z.uuid().optional(),
            status: z.enum(['ready', 'failed', 'missing', 'pending']).default('ready'),
            /** Start strictly before this instant (a month of the timeline); a cursor takes over from there. */
            before: z.iso.datetime({ offset: true }).optional(),
          }),
        },
      },
      async (req, reply) => {
        const who = principalOf(req);
        return deps.pages.send(req, reply, who, async () => {
          const page = await deps.assets.list(who, {
            limit: req.query.limit,
            after: decodeCursor(req.query.cursor) ?? positionBefore(req.query.before),
            status: req.query.status,
            ...(req.query.library ? { libraryId: req.query.library } : {}),
          });
          return { items: page.items.map(presentAsset), nextCursor: page.next && encodeCursor(page.next) };
        });
      },
    );

    app.get('/api/assets/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentAsset(await deps.assets.get(principalOf(req), req.params.id)),
    );

    app.get(
      '/api/assets/:id/thumbnail',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        const data = await deps.assets.thumbnail(principalOf(req), req.params.id);
        // Keyed by asset id, but re-ingest rewrites it: cache briefly and revalidate.
        return reply.type('image/webp').header('cache-control', 'private, max-age=3600').send(data);
      },
    );
    return Promise.resolve();
  };
