import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from '../logger.js';
import type { ApiDeps, HttpOptions } from './api-deps.js';
import { registerRouteAuth } from './auth/route-auth.js';
import { registerProblemHandlers } from './problem.js';
import { registerSecurityHeaders } from './security-headers.js';
import { actionRoutes } from './routes/action.routes.js';
import { assetRoutes } from './routes/asset.routes.js';
import { previewRoutes } from './routes/preview.routes.js';
import { timelineRoutes } from './routes/timeline.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { trashRoutes } from './routes/trash.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { duplicateRoutes } from './routes/duplicate.routes.js';
import { eventRoutes } from './routes/event.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { insightRoutes } from './routes/insight.routes.js';
import { triageRoutes } from './routes/triage.routes.js';
import { jobRoutes } from './routes/job.routes.js';
import { libraryRoutes } from './routes/library.routes.js';
import { immichRoutes } from './routes/immich.routes.js';
import { userRoutes } from './routes/user.routes.js';
import { settingsRoutes } from './routes/settings.routes.js';
import { exploreRoutes } from './routes/explore.routes.js';
import { registerWebApp } from './web-app.js';
import { albumRoutes } from './routes/album.routes.js';
import { originalRoutes } from './routes/original.routes.js';

export const defaultHttpOptions: HttpOptions = {
  bodyLimitBytes: 1024 * 1024,
  corsOrigins: [],
  trustProxy: false,
  sseHeartbeatSeconds: 20,
  sseReplaySize: 1000,
  responseCacheBytes: 32 * 1024 * 1024,
};

/**
 * Builds the HTTP app (not listening). Routes validate input and call one service each; every
 * route declares its auth requirement (see auth/route-auth.ts) or the server refuses to build.
 */
export async function buildServer(
  deps: ApiDeps,
  log: Logger,
  http: HttpOptions = defaultHttpOptions,
): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the app keeps Fastify's default logger type parameter.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: http.bodyLimitBytes,
    trustProxy: http.trustProxy,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);
  await registerSecurityHeaders(app);

  await app.register(cookie);
  // Off unless origins are configured: the web app is served from the same origin.
  if (http.corsOrigins.length > 0)
    await app.register(cors, { origin: [...http.corsOrigins], credentials: true });
  await app.register(swagger, {
    openapi: {
      info: { title: 'photo-sync API', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'ps_access' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerRouteAuth(app, deps.auth);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(userRoutes(deps));
  await app.register(assetRoutes(deps));
  await app.register(previewRoutes(deps));
  await app.register(timelineRoutes(deps));
  await app.register(jobRoutes(deps));
  await app.register(libraryRoutes(deps));
  await app.register(immichRoutes(deps));
  await app.register(duplicateRoutes(deps));
  await app.register(triageRoutes(deps));
  await app.register(insightRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(actionRoutes(deps));
  await app.register(trashRoutes(deps));
  await app.register(exploreRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(settingsRoutes(deps));
  await app.register(albumRoutes(deps));
  await app.register(originalRoutes(deps));
  await registerWebApp(app, log);
  return app;
}
