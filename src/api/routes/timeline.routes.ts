import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The timeline's overview (docs/API.md "Timeline"); a month's assets come from GET /api/assets?before=. */
export const timelineRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/timeline/buckets',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'Per-month card and asset counts of the visible timeline (same assets as GET /api/assets), newest first. Months and days are local to `tz` (an IANA zone, default UTC); a version stack or burst counts as one card per day.',
          querystring: z.object({
            library: z.uuid().optional(),
            tz: z
              .string()
              .max(64)
              .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris')
              .default('UTC'),
          }),
        },
      },
      (req) =>
        deps.timeline.buckets(principalOf(req), {
          timeZone: req.query.tz,
          ...(req.query.library ? { library: req.query.library } : {}),
        }),
    );
    return Promise.resolve();
  };
