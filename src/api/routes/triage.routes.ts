import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { triageCategories } from '../../services/triage.service.js';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { presentDecision, presentTriageItems } from '../insight-presenters.js';
import { decodeValueCursor, encodeValueCursor } from '../cursor.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../opaque-cursor.js';
import { pageQuery } from '../schemas.js';

const scopeQuery = { library: z.uuid().optional(), batch: z.uuid().optional() };
const categoryParams = z.object({ category: z.enum(triageCategories) });
const scopeOf = (q: { library?: string | undefined; batch?: string | undefined }) => ({
  ...(q.library ? { libraryId: q.library } : {}),
  ...(q.batch ? { batchId: q.batch } : {}),
});

export const triageRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/triage',
      { config: { auth: 'user' }, schema: { querystring: z.object(scopeQuery) } },
      async (req) => ({
        categories: await deps.triage.summary(scopeOf(req.query)),
      }),
    );

    app.get(
      '/api/triage/:category/items',
      {
        config: { auth: 'user' },
        schema: { params: categoryParams, querystring: z.object({ ...scopeQuery, ...pageQuery }) },
      },
      async (req) => {
        const r = await deps.triage.items(
          req.params.category,
          scopeOf(req.query),
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
        recorded: await deps.triage.acceptAll(principalOf(req), req.params.category, scopeOf(req.body)),
      }),
    );
    app.get(
      '/api/decisions',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({
            ...pageQuery,
            status: z.enum(['recorded', 'applied']).default('recorded'),
            kind: z.enum(['duplicate', 'burst', 'quality']).optional(),
            library: z.uuid().optional(),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const r = await deps.triage.decisionLog({
          status: q.status,
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.library ? { libraryId: q.library } : {}),
          limit: q.limit,
          after: decodeValueCursor(q.cursor),
        });
        return { items: r.items.map(presentDecision), nextCursor: r.next && encodeValueCursor(r.next) };
      },
    );
    return Promise.resolve();
  };
