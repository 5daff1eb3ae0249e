import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from '../logger.js';
import type { ApiDeps } from './api-deps.js';
import { registerProblemHandlers } from './problem.js';
import { assetRoutes } from './routes/asset.routes.js';
import { duplicateRoutes } from './routes/duplicate.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { jobRoutes } from './routes/job.routes.js';
import { libraryRoutes } from './routes/library.routes.js';
import { registerWebApp } from './web-app.js';

/** Builds the HTTP app (not listening). Routes validate input and call one service each. */
export async function buildServer(deps: ApiDeps, log: Logger): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the app keeps Fastify's default logger type parameter.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  await app.register(healthRoutes(deps));
  await app.register(assetRoutes(deps));
  await app.register(jobRoutes(deps));
  await app.register(libraryRoutes(deps));
  await app.register(duplicateRoutes(deps));
  await registerWebApp(app, log);
  return app;
}
