import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from '../logger.js';

/** Where `npm run build` puts the web app: <repo>/dist/web, from src/api or dist/api alike. */
export const defaultWebDir = path.resolve(import.meta.dirname, '../../dist/web');

/**
 * Serves the built single-page app same-origin with the API. Vite names assets by content hash,
 * so /assets/* are cached forever; index.html is never cached, so a new build is seen at once.
 * Any other GET that is not an API route answers index.html (client-side routes), while unknown
 * /api and /health paths keep their problem+json 404.
 */
export async function registerWebApp(
  app: FastifyInstance,
  log: Logger,
  webDir = defaultWebDir,
): Promise<void> {
  const indexFile = path.join(webDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    log.warn({ webDir }, 'web app not built: the API runs without the UI. Run `npm run build` to build it.');
    return;
  }
  await app.register(fastifyStatic, { root: webDir, serve: false });

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', webDir, { cacheControl: false });

  // The app shell is public; every API call it makes is authorised on its own route.
  const config = { auth: 'public' as const };
  app.get('/', { config }, (_req, reply) => sendIndex(reply));
  app.get('/*', { config }, (req, reply) => {
    const urlPath = decodeURIComponent(req.url.split('?')[0] ?? '/');
    if (urlPath.startsWith('/api/') || urlPath === '/api' || urlPath.startsWith('/health')) {
      reply.callNotFound();
      return reply;
    }
    const file = path.normalize(path.join(webDir, urlPath));
    if (file.startsWith(webDir + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      const relative = path.relative(webDir, file);
      return relative.startsWith('assets' + path.sep)
        ? reply.sendFile(relative, webDir, { maxAge: '365d', immutable: true })
        : reply.sendFile(relative, webDir, { maxAge: '1h' });
    }
    return sendIndex(reply);
  });
}
