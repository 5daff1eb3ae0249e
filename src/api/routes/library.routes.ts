import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { presentLibrary } from '../presenters.js';
import { idParams } from '../schemas.js';

export const libraryRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get('/api/libraries', async () => ({ items: (await deps.libraries.list()).map(presentLibrary) }));

    app.post(
      '/api/libraries',
      {
        schema: {
          body: z.object({
            name: z.string().trim().min(1).max(200).optional(),
            roots: z.array(z.string().min(1).max(4096)).min(1).max(32),
            readOnly: z.boolean().optional(),
          }),
        },
      },
      async (req, reply) => {
        const lib = await deps.libraries.create(req.body);
        const jobId = await deps.libraries.requestScan(lib.id);
        return reply.status(201).send({ ...presentLibrary(lib), scanJobId: jobId });
      },
    );

    app.get('/api/libraries/:id', { schema: { params: idParams } }, async (req) =>
      presentLibrary(await deps.libraries.get(req.params.id)),
    );

    app.post('/api/libraries/:id/scan', { schema: { params: idParams } }, async (req, reply) => {
      const jobId = await deps.libraries.requestScan(req.params.id);
      return reply.status(202).send({ jobId });
    });
    return Promise.resolve();
  };
