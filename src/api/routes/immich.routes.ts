import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { presentImmichWrite, presentImmichWriteJob, presentLibrary } from '../presenters.js';
import { idParams } from '../schemas.js';

const pushParams = z.object({
  id: z.uuid({ message: 'must be a UUID' }),
  jobId: z.uuid({ message: 'must be a UUID' }),
});

const apiKey = z.string().trim().min(1).max(500);

export const immichRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    /** Connects an Immich server: the key is checked (version, permissions), sealed, then a sync starts. */
    app.post(
      '/api/libraries/immich',
      {
        config: { auth: 'user' },
        schema: {
          body: z.object({
            name: z.string().trim().min(1).max(200).optional(),
            url: z.string().trim().min(1).max(2048),
            apiKey,
          }),
        },
      },
      async (req, reply) => {
        const { library, check, scanJobId } = await deps.immich.connect(
          principalOf(req),
          req.body,
          originOf(req),
        );
        return reply.status(201).send({
          ...presentLibrary({ ...library, role: 'owner' }),
          scanJobId,
          serverVersion: check.version,
          missingPermissions: check.missingPermissions,
        });
      },
    );

    /** Checks the stored key again, or replaces it with `apiKey` once that one checks out. */
    app.post(
      '/api/libraries/:id/immich/check',
      {
        config: { auth: 'user' },
        schema: { params: idParams, body: z.object({ apiKey: apiKey.optional() }).optional() },
      },
      async (req) => {
        const check = await deps.immich.recheck(
          principalOf(req),
          req.params.id,
          req.body?.apiKey ?? null,
          originOf(req),
        );
        return { serverVersion: check.version, missingPermissions: check.missingPermissions };
      },
    );

    /** Writes the analysis to Immich as a job: stacks (versions, bursts), albums (accepted suggestions), duplicate ids. */
    app.post(
      '/api/libraries/:id/immich/push',
      {
        config: { auth: 'user' },
        schema: {
          params: idParams,
          body: z.object({
            stacks: z.boolean().default(true),
            albums: z.boolean().default(true),
            duplicates: z.boolean().default(false),
          }),
        },
      },
      async (req, reply) => {
        const res = await deps.immichWriter.requestPush(
          principalOf(req),
          req.params.id,
          req.body,
          originOf(req),
        );
        return reply.status(202).send(res);
      },
    );

    app.get(
      '/api/libraries/:id/immich/push',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req) => ({
        items: (await deps.immichWriter.recentJobs(principalOf(req), req.params.id)).map(
          presentImmichWriteJob,
        ),
        nextCursor: null,
      }),
    );

    app.get(
      '/api/libraries/:id/immich/push/:jobId',
      { config: { auth: 'user' }, schema: { params: pushParams } },
      async (req) => ({
        items: (await deps.immichWriter.results(principalOf(req), req.params.id, req.params.jobId)).map(
          presentImmichWrite,
        ),
        nextCursor: null,
      }),
    );

    app.post(
      '/api/libraries/:id/immich/push/:jobId/undo',
      { config: { auth: 'user' }, schema: { params: pushParams } },
      async (req) =>
        deps.immichWriter.undoPush(principalOf(req), req.params.id, req.params.jobId, originOf(req)),
    );
    return Promise.resolve();
  };
