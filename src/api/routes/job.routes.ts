import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { presentJob, presentJobDetail } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

export const jobRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/jobs',
      { config: { auth: 'user' }, schema: { querystring: z.object(pageQuery) } },
      async (req) => {
        const page = await deps.jobs.list(principalOf(req), req.query.limit, decodeCursor(req.query.cursor));
        return { items: page.items.map(presentJob), nextCursor: page.next && encodeCursor(page.next) };
      },
    );

    app.get('/api/jobs/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentJobDetail(await deps.jobs.get(principalOf(req), req.params.id)),
    );
    app.post(
      '/api/jobs/:id/retry',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) =>
        reply.status(202).send({ jobId: await deps.jobs.retry(principalOf(req), req.params.id) }),
    );
    return Promise.resolve();
  };
