import type {} from '@fastify/cookie';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { originOf } from '../auth/route-auth.js';
import { clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from '../auth/session-cookies.js';
import { presentUser } from '../presenters.js';
import type { Session } from '../../services/auth/auth.service.js';

const email = z.email().max(254);
/** Upper bound keeps a hostile body from making argon2 hash megabytes. */
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(1024);
const name = z.string().trim().min(1).max(200);

const sessionBody = (s: Session) => ({
  user: presentUser(s.user),
  accessToken: s.accessToken,
  expiresIn: s.expiresIn,
});

/** Sign-in, first-run set-up, refresh and sign-out: the only API routes open without a session. */
export const authRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    const cookies = { secure: deps.cookieSecure };

    app.get(
      '/api/auth/status',
      { config: { auth: 'public' }, schema: { response: { 200: z.object({ setupRequired: z.boolean() }) } } },
      async () => ({ setupRequired: await deps.auth.setupRequired() }),
    );

    app.post(
      '/api/auth/setup',
      { config: { auth: 'public' }, schema: { body: z.object({ email, name, password: passwordSchema }) } },
      async (req, reply) => {
        const session = await deps.auth.setup(req.body);
        setSessionCookies(reply, session, cookies);
        await deps.audit.record(
          { userId: session.user.id, email: session.user.email },
          originOf(req),
          'user.setup',
          `user:${session.user.id}`,
        );
        return reply.status(201).send(sessionBody(session));
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { auth: 'public' },
        schema: { body: z.object({ email: z.string().max(254), password: z.string().max(1024) }) },
      },
      async (req, reply) => {
        const session = await deps.auth.login(req.body.email, req.body.password, originOf(req));
        setSessionCookies(reply, session, cookies);
        return sessionBody(session);
      },
    );

    app.post('/api/auth/refresh', { config: { auth: 'public' } }, async (req, reply) => {
      const session = await deps.auth.refresh(req.cookies[REFRESH_COOKIE]);
      setSessionCookies(reply, session, cookies);
      return sessionBody(session);
    });

    app.post('/api/auth/logout', { config: { auth: 'public' } }, async (req, reply) => {
      await deps.auth.logout(req.cookies[REFRESH_COOKIE]);
      clearSessionCookies(reply, cookies);
      return reply.status(204).send();
    });
    return Promise.resolve();
  };
