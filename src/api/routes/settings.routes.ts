import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runtimeSettingDefinitions } from '../../config/runtime-settings.js';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { presentSetting } from '../settings-presenter.js';

const keys = runtimeSettingDefinitions.map((d) => d.key).join(', ');

export const settingsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/settings',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'Runtime settings: the value in force, the environment default, where the value comes from and what it accepts.',
        },
      },
      async () => ({ items: (await deps.settings.list()).map(presentSetting) }),
    );

    app.put(
      '/api/settings',
      {
        config: { auth: 'admin' },
        schema: {
          description: `Changes some settings, all or none (${keys}). null puts a setting back to its environment default.`,
          // Each value is checked by the setting's own validator, so errors name the field and its range.
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (req) => ({
        items: (await deps.settings.update(principalOf(req), originOf(req), req.body)).map(presentSetting),
      }),
    );
    return Promise.resolve();
  };
