import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotReadyError, ServiceUnavailableError } from '../../errors.js';
import type { ApiDeps } from '../api-deps.js';
import { describeCondition } from '../../fs/disk-space-monitor.js';

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

    app.get(
      '/health/ready',
      {
        config: { auth: 'public' },
        schema: { response: { 200: z.object({ status: z.literal('ready'), database: z.string() }) } },
      },
      async () => {
        const disks = deps.disk.conditions();
        if (disks.length > 0)
          throw new NotReadyError(
            `Disk full: ${disks.map(describeCondition).join(' ')} Reads keep working; work that writes is paused until space returns.`,
            { disks },
          );
        try {
          await deps.database.ping();
        } catch (err) {
          throw new ServiceUnavailableError(
            `Database not reachable (${deps.database.backend}): ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        return { status: 'ready' as const, database: deps.database.backend };
      },
    );
    return Promise.resolve();
  };
