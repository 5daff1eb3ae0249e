import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceUnavailableError } from '../../errors.js';
import type { ApiDeps } from '../api-deps.js';
import { describeCondition } from '../../fs/disk-space-monitor.js';

const diskCondition = z.object({
  path: z.string().nullable(),
  mountPoint: z.string().nullable(),
  freeBytes: z.number().nullable(),
  totalBytes: z.number().nullable(),
  code: z.string(),
  reason: z.enum(['below-floor', 'write-failed']),
  since: z.string(),
});

export const healthRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/health',
      { config: { auth: 'public' }, schema: { response: { 200: z.object({ status: z.literal('ok') }) } } },
      () => ({
        status: 'ok' as const,
      }),
    );

    /*
     * A full disk leaves the server "degraded", not unready: it still serves every read, and a 503
     * here would make Caddy's health check (or a Kubernetes readiness probe) take the only server
     * out of rotation, so the reads would stop at the proxy. Only an unreachable database is a 503.
     */
    app.get(
      '/health/ready',
      {
        config: { auth: 'public' },
        schema: {
          response: {
            200: z.object({
              status: z.enum(['ready', 'degraded']),
              database: z.string(),
              detail: z.string().optional(),
              disks: z.array(diskCondition).optional(),
            }),
          },
        },
      },
      async () => {
        try {
          await deps.database.ping();
        } catch (err) {
          throw new ServiceUnavailableError(
            `Database not reachable (${deps.database.backend}): ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        const disks = deps.disk.conditions();
        if (disks.length === 0) return { status: 'ready' as const, database: deps.database.backend };
        return {
          status: 'degraded' as const,
          database: deps.database.backend,
          detail: `Disk full: ${disks.map(describeCondition).join(' ')} Reads keep working; work that writes is paused until space returns.`,
          disks,
        };
      },
    );
    return Promise.resolve();
  };
