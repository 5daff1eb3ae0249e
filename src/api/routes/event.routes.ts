import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LiveEvent } from '../../events/live-event-hub.js';
import { eventVisibleTo } from '../../services/library-access.js';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';

function frame(e: LiveEvent): string {
  return `id: ${e.id}\nevent: ${e.name}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/**
 * `GET /api/events`: Server-Sent Events of the caller's jobs and libraries. `Last-Event-ID` (header,
 * or `lastEventId` query for clients that cannot set headers) replays what was missed.
 */
export const eventRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/events',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({ lastEventId: z.coerce.number().int().min(0).optional() }),
          headers: z.object({ 'last-event-id': z.coerce.number().int().min(0).optional() }).loose(),
        },
      },
      async (req, reply) => {
        const who = principalOf(req);
        let visible = new Set(await deps.access.visibleIds(who));
        const lastEventId = req.headers['last-event-id'] ?? req.query.lastEventId ?? null;

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          // Tells nginx-style proxies not to buffer the stream.
          'x-accel-buffering': 'no',
        });
        res.write('retry: 3000\n\n');
        const unsubscribe = deps.liveEvents.subscribe(
          {
            canSee: (scope) => eventVisibleTo(who.userId, visible, scope),
            send: (e) => {
              res.write(frame(e));
            },
            refreshAccess: () => {
              deps.access
                .visibleIds(who)
                .then((ids) => {
                  visible = new Set(ids);
                })
                .catch((err: unknown) => {
                  req.log.warn({ err }, 'could not refresh live-event access');
                });
            },
            end: () => {
              res.end();
            },
          },
          lastEventId,
        );
        req.raw.on('close', unsubscribe);
      },
    );
    return Promise.resolve();
  };
