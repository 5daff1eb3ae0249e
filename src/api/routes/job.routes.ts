import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { presentJob } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

export const jobRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get('/api/jobs', { schema: { querystring: z.object(pageQuery) } }, async (req) => {
      const page = await deps.jobs.list(req.query.limit, decodeCursor(req.query.cursor));
      return { items: page.items.map(presentJob), nextCursor: page.next && encodeCursor(page.next) };
    });

    app.get('/api/jobs/:id', { schema: { params: idParams } }, async (req) =>
      presentJob(await deps.jobs.get(req.params.id)),
    );

    app.post('/api/jobs/:id/retry', { schema: { params: idParams } }, async (req, reply) =>
      reply.status(202).send(presentJob(await deps.jobs.retry(req.params.id))),
    );
    return Promise.resolve();
  };
