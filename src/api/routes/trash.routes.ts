import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { presentTrashItem } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

export const trashRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/trash',
      { config: { auth: 'user' }, schema: { querystring: z.object(pageQuery) } },
      async (req) => {
        const page = await deps.trash.list(principalOf(req), {
          limit: req.query.limit,
          after: decodeCursor(req.query.cursor),
        });
        return { items: page.items.map(presentTrashItem), nextCursor: page.next && encodeCursor(page.next) };
      },
    );

    app.post(
      '/api/trash/:id/restore',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req) => deps.trash.restore(principalOf(req), req.params.id, originOf(req)),
    );

    app.post(
      '/api/trash/purge',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'Purges what outlived the retention (TRASH_RETENTION_DAYS; olderThanDays may only lengthen it). ' +
            'An administrator empties named libraries now with {"now": true, "libraryIds": [...]} (audited).',
          body: z
            .object({
              olderThanDays: z.number().int().min(0).max(3650).optional(),
              now: z.literal(true).optional(),
              libraryIds: z
                .array(z.uuid({ message: 'must be a UUID' }))
                .min(1)
                .max(100)
                .optional(),
            })
            .default({}),
        },
      },
      async (req, reply) => {
        const who = principalOf(req);
        if (req.body.now) {
          const purge = await deps.trash.requestPurgeNow(who, req.body.libraryIds ?? [], originOf(req));
          return reply.status(202).send(purge);
        }
        const jobId = await deps.trash.requestPurge(who, req.body.olderThanDays, originOf(req));
        return reply.status(202).send({ jobId });
      },
    );
    return Promise.resolve();
  };
