import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { moveListCsv, moveListScript } from '../../domain/move-list.js';
import { MAX_ITEMS_PER_REQUEST } from '../../services/action.service.js';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { idParams } from '../schemas.js';

const removalItem = z.object({
  kind: z.literal('remove'),
  assetId: z.uuid(),
  /** Copies that stay and inherit the removed file's albums, rating, tags, description, GPS. */
  keepAssetIds: z.array(z.uuid()).max(100).default([]),
  reason: z.string().max(500).optional(),
  /** The decision this comes from (a duplicate group, a burst, …). */
  groupId: z.uuid().optional(),
  source: z
    .string()
    .regex(/^[a-z][a-z-]{0,31}$/, 'a lower-case word like "duplicates" or "bursts"')
    .optional(),
});

export const actionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.post(
      '/api/actions',
      {
        config: { auth: 'user' },
        schema: { body: z.object({ items: z.array(removalItem).min(1).max(MAX_ITEMS_PER_REQUEST) }) },
      },
      async (req, reply) => {
        const { jobId, itemIds } = await deps.actions.requestRemovals(
          principalOf(req),
          req.body.items.map((i) => ({
            assetId: i.assetId,
            keepAssetIds: i.keepAssetIds,
            source: i.source ?? (i.groupId ? 'duplicates' : 'manual'),
            sourceId: i.groupId ?? null,
            reason: i.reason ?? null,
          })),
          originOf(req),
        );
        return reply.status(202).send({ jobId, itemIds });
      },
    );

    app.get(
      '/api/libraries/:id/move-list.csv',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        const { rows } = await deps.actions.recorded(principalOf(req), req.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="move-list-${req.params.id}.csv"`)
          .send(moveListCsv(rows));
      },
    );

    app.get(
      '/api/libraries/:id/move-list.sh',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        const { libraryName, rows } = await deps.actions.recorded(principalOf(req), req.params.id);
        return reply
          .type('text/x-shellscript; charset=utf-8')
          .header('content-disposition', `attachment; filename="move-list-${req.params.id}.sh"`)
          .send(moveListScript(libraryName, rows));
      },
    );
    return Promise.resolve();
  };
