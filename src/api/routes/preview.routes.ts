import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_PREVIEW_SIZE, PREVIEW_SIZES } from '../../services/preview.service.js';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { idParams } from '../schemas.js';

const sizeQuery = z.object({
  size: z.coerce
    .number()
    .int()
    .refine((n) => (PREVIEW_SIZES as readonly number[]).includes(n), {
      message: `must be one of ${PREVIEW_SIZES.join(', ')}`,
    })
    .transform((n) => n as (typeof PREVIEW_SIZES)[number])
    .default(DEFAULT_PREVIEW_SIZE),
});

/** Display-size renditions of originals (docs/API.md "Previews"). */
export const previewRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/assets/:id/preview',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'A WebP of the original, upright, long edge `size` px (never enlarged). Rendered on first request and cached; ETag/If-None-Match supported. 404 `original-unavailable` when the original is gone or holds no picture.',
          params: idParams,
          querystring: sizeQuery,
        },
      },
      async (req, reply) => {
        const preview = await deps.previews.preview(principalOf(req), req.params.id, req.query.size);
        // Private: another user must never get it from a shared cache. The ETag changes with the
        // original's content, so a revalidation is cheap and never serves a stale picture.
        void reply
          .header('etag', preview.etag)
          .header('cache-control', 'private, max-age=86400, must-revalidate');
        if (ifNoneMatch(req.headers['if-none-match'], preview.etag)) return reply.status(304).send();
        return reply.type('image/webp').send(await preview.load());
      },
    );
    return Promise.resolve();
  };

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
