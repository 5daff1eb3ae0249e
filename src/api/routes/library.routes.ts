import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { presentLibrary, presentShare } from '../presenters.js';
import { idParams } from '../schemas.js';

const shareParams = z.object({
  id: z.uuid({ message: 'must be a UUID' }),
  userId: z.uuid({ message: 'must be a UUID' }),
});

export const libraryRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get('/api/libraries', { config: { auth: 'user' } }, async (req) => ({
      items: (await deps.libraries.list(principalOf(req))).map(presentLibrary),
      nextCursor: null,
    }));

    app.post(
      '/api/libraries',
      {
        config: { auth: 'user' },
        schema: {
          body: z.object({
            name: z.string().trim().min(1).max(200).optional(),
            roots: z.array(z.string().min(1).max(4096)).min(1).max(32),
            readOnly: z.boolean().optional(),
          }),
        },
      },
      async (req, reply) => {
        const who = principalOf(req);
        const lib = await deps.libraries.create(who, req.body);
        await deps.audit.record(who, originOf(req), 'library.created', `library:${lib.id}`, {
          name: lib.name,
          roots: lib.roots,
        });
        const jobId = await deps.libraries.requestScan(who, lib.id);
        return reply.status(201).send({ ...presentLibrary({ ...lib, role: 'owner' }), scanJobId: jobId });
      },
    );

    app.get('/api/libraries/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentLibrary(await deps.libraries.get(principalOf(req), req.params.id)),
    );

    app.patch(
      '/api/libraries/:id',
      {
        config: { auth: 'user' },
        schema: {
          params: idParams,
          body: z.object({
            /** Days a trashed file stays restorable in this library; null = TRASH_RETENTION_DAYS. */
            trashRetentionDays: z
              .number()
              .int({ message: 'must be a whole number of days' })
              .min(1, { message: 'must be at least 1 day' })
              .max(3650, { message: 'must be at most 3650 days (10 years)' })
              .nullable(),
          }),
        },
      },
      async (req) =>
        presentLibrary(
          await deps.libraries.setTrashRetention(
            principalOf(req),
            req.params.id,
            req.body.trashRetentionDays,
            originOf(req),
          ),
        ),
    );

    app.delete(
      '/api/libraries/:id',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        // Hidden now; the rows go in the background (the job's progress counts them).
        const { jobId } = await deps.libraries.delete(principalOf(req), req.params.id, originOf(req));
        return reply.status(202).send({ id: req.params.id, state: 'deleting', jobId });
      },
    );

    app.post(
      '/api/libraries/:id/scan',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        const jobId = await deps.libraries.requestScan(principalOf(req), req.params.id);
        return reply.status(202).send({ jobId });
      },
    );

    app.get(
      '/api/libraries/:id/shares',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req) => ({
        items: (await deps.libraries.listShares(principalOf(req), req.params.id)).map(presentShare),
        nextCursor: null,
      }),
    );

    app.put(
      '/api/libraries/:id/shares/:userId',
      {
        config: { auth: 'user' },
        schema: { params: shareParams, body: z.object({ role: z.enum(['viewer', 'editor']) }) },
      },
      async (req, reply) => {
        await deps.libraries.share(
          principalOf(req),
          req.params.id,
          req.params.userId,
          req.body.role,
          originOf(req),
        );
        return reply.status(204).send();
      },
    );

    app.delete(
      '/api/libraries/:id/shares/:userId',
      { config: { auth: 'user' }, schema: { params: shareParams } },
      async (req, reply) => {
        await deps.libraries.unshare(principalOf(req), req.params.id, req.params.userId, originOf(req));
        return reply.status(204).send();
      },
    );
    return Promise.resolve();
  };
