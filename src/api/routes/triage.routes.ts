import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { triageCategories } from '../../services/triage.service.js';
import type { ApiDeps } from '../api-deps.js';
import { presentTriageItems } from '../insight-presenters.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../opaque-cursor.js';
import { pageQuery } from '../schemas.js';
import { originOf, principalOf } from '../auth/route-auth.js';

const scopeQuery = { library: z.uuid().optional(), batch: z.uuid().optional() };
const categoryParams = z.object({ category: z.enum(triageCategories) });

export const triageRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/triage',
      { config: { auth: 'user' }, schema: { querystring: z.object(scopeQuery) } },
      async (req) => ({ categories: await deps.triage.summary(principalOf(req), req.query) }),
    );

    app.get(
      '/api/triage/:category/items',
      {
        config: { auth: 'user' },
        schema: { params: categoryParams, querystring: z.object({ ...scopeQuery, ...pageQuery }) },
      },
      async (req) => {
        const r = await deps.triage.items(
          principalOf(req),
          req.params.category,
          { library: req.query.library, batch: req.query.batch },
          req.query.limit,
          decodeOpaqueCursor(req.query.cursor),
        );
        return { items: presentTriageItems(r), nextCursor: encodeOpaqueCursor(r.next) };
      },
    );

    app.post(
      '/api/triage/:category/accept',
      {
        config: { auth: 'user' },
        schema: { params: categoryParams, body: z.object(scopeQuery).default({}) },
      },
      async (req) => ({
        category: req.params.category,
        ...(await deps.triage.acceptAll(principalOf(req), req.params.category, req.body, originOf(req))),
      }),
    );
    return Promise.resolve();
  };
