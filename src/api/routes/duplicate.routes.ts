import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { decodeValueCursor, encodeValueCursor } from '../cursor.js';
import { presentDuplicateDetail, presentDuplicateGroup } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

const decisionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep'), keepAssetIds: z.array(z.uuid()).min(1).max(1000) }),
  z.object({ action: z.literal('not-duplicate') }),
  z.object({ action: z.literal('dismiss') }),
]);

export const duplicateRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/duplicates',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({
            ...pageQuery,
            kind: z.enum(['exact', 'near', 'similar']).optional(),
            library: z.uuid().optional(),
            status: z.enum(['open', 'kept', 'dismissed', 'not-duplicate']).default('open'),
            sort: z.enum(['newest', 'space', 'similarity']).default('space'),
          }),
        },
      },
      async (req, reply) => {
        const q = req.query;
        const who = principalOf(req);
        return deps.pages.send(req, reply, who, async () => {
          const page = await deps.duplicates.list(who, {
            status: q.status,
            sort: q.sort,
            limit: q.limit,
            after: decodeValueCursor(q.cursor),
            ...(q.kind ? { kind: q.kind } : {}),
            ...(q.library ? { libraryId: q.library } : {}),
          });
          return {
            items: page.items.map(presentDuplicateGroup),
            nextCursor: page.next && encodeValueCursor(page.next),
          };
        });
      },
    );

    app.get('/api/duplicates/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentDuplicateDetail(await deps.duplicates.get(principalOf(req), req.params.id)),
    );

    app.post(
      '/api/duplicates/:id/decision',
      { config: { auth: 'user' }, schema: { params: idParams, body: decisionBody } },
      async (req) =>
        presentDuplicateDetail(await deps.duplicates.decide(principalOf(req), req.params.id, req.body)),
    );

    app.post(
      '/api/duplicates/:id/apply',
      {
        config: { auth: 'user' },
        schema: { params: idParams, body: z.object({ keepAssetIds: z.array(z.uuid()).min(1).max(1000) }) },
      },
      async (req, reply) =>
        reply
          .status(202)
          .send(
            await deps.duplicates.apply(
              principalOf(req),
              req.params.id,
              req.body.keepAssetIds,
              originOf(req),
            ),
          ),
    );

    app.post('/api/duplicates/analyse', { config: { auth: 'user' } }, async (_req, reply) => {
      const jobId = await deps.duplicates.requestAnalysis();
      return reply.status(202).send({ jobId });
    });
    return Promise.resolve();
  };
