import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { presentApiKey, presentUser } from '../presenters.js';
import { idParams } from '../schemas.js';
import { passwordSchema } from './auth.routes.js';

export const userRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get('/api/users/me', { config: { auth: 'user' } }, async (req) =>
      presentUser(await deps.users.me(principalOf(req))),
    );

    app.post(
      '/api/users/me/password',
      {
        config: { auth: 'user' },
        schema: { body: z.object({ currentPassword: z.string().max(1024), newPassword: passwordSchema }) },
      },
      async (req, reply) => {
        await deps.users.changePassword(
          principalOf(req),
          req.body.currentPassword,
          req.body.newPassword,
          originOf(req),
        );
        return reply.status(204).send();
      },
    );

    app.get('/api/users', { config: { auth: 'admin' } }, async () => ({
      items: (await deps.users.list()).map(presentUser),
      nextCursor: null,
    }));

    app.post(
      '/api/users',
      {
        config: { auth: 'admin' },
        schema: {
          body: z.object({
            email: z.email().max(254),
            name: z.string().trim().min(1).max(200),
            password: passwordSchema,
            role: z.enum(['admin', 'user']).default('user'),
          }),
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(presentUser(await deps.users.create(principalOf(req), req.body, originOf(req)))),
    );

    app.patch(
      '/api/users/:id',
      {
        config: { auth: 'admin' },
        schema: {
          description:
            "Changes an account's role (admin or user). The last administrator stays one; you cannot change your own role. It applies on the account's next request.",
          params: idParams,
          body: z.object({ role: z.enum(['admin', 'user']) }),
        },
      },
      async (req) =>
        presentUser(
          await deps.users.changeRole(principalOf(req), req.params.id, req.body.role, originOf(req)),
        ),
    );

    app.post(
      '/api/users/:id/password',
      {
        config: { auth: 'admin' },
        schema: {
          description:
            'An administrator sets a new password for an account; every session of that user ends.',
          params: idParams,
          body: z.object({ newPassword: passwordSchema }),
        },
      },
      async (req, reply) => {
        await deps.users.resetPassword(principalOf(req), req.params.id, req.body.newPassword, originOf(req));
        return reply.status(204).send();
      },
    );

    app.delete(
      '/api/users/:id',
      { config: { auth: 'admin' }, schema: { params: idParams } },
      async (req, reply) => {
        await deps.users.delete(principalOf(req), req.params.id, originOf(req));
        return reply.status(204).send();
      },
    );

    app.get('/api/api-keys', { config: { auth: 'user' } }, async (req) => ({
      items: (await deps.users.listApiKeys(principalOf(req))).map(presentApiKey),
      nextCursor: null,
    }));

    app.post(
      '/api/api-keys',
      { config: { auth: 'user' }, schema: { body: z.object({ name: z.string().trim().min(1).max(200) }) } },
      async (req, reply) => {
        const { key, secret } = await deps.users.createApiKey(principalOf(req), req.body.name);
        return reply.status(201).send({ ...presentApiKey(key), secret });
      },
    );

    app.delete(
      '/api/api-keys/:id',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        await deps.users.deleteApiKey(principalOf(req), req.params.id);
        return reply.status(204).send();
      },
    );
    return Promise.resolve();
  };
