import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { presentAuditEntry } from '../presenters.js';
import { pageQuery } from '../schemas.js';

export const auditRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/audit',
      {
        config: { auth: 'admin' },
        schema: {
          querystring: z.object({
            ...pageQuery,
            action: z
              .string()
              .regex(/^[a-z.-]{1,64}$/, 'an action name like "trash.restored"')
              .optional(),
          }),
        },
      },
      async (req) => {
        const page = await deps.audit.list({
          limit: req.query.limit,
          after: decodeCursor(req.query.cursor),
          ...(req.query.action ? { action: req.query.action } : {}),
        });
        return { items: page.items.map(presentAuditEntry), nextCursor: page.next && encodeCursor(page.next) };
      },
    );
    return Promise.resolve();
  };
