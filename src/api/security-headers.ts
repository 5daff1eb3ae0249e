import zlib from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * The web app's Content-Security-Policy: scripts, styles, fonts and API calls from this origin
 * only (the built app has no inline script); thumbnails may also be blob:/data: URLs; nothing may
 * frame the app, and forms and <base> cannot point elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every response: API, web app, errors and 404s alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** What is worth compressing: JSON, scripts, styles, HTML, SVG and text — never the SSE stream. */
const COMPRESSIBLE =
  /^(application\/(json|problem\+json|javascript|xml)|text\/(css|html|javascript|plain|csv)|image\/svg\+xml)\b/;

/**
 * Security headers on every response, and gzip/brotli for text, so the app is safe and fast
 * without a reverse proxy. The OpenAPI UI (`/api/docs`) ships inline styles, so its pages get
 * `style-src 'self' 'unsafe-inline'` (scripts stay same-origin).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (req, reply) => {
    void reply.headers(SECURITY_HEADERS);
    if (req.url.startsWith('/api/docs'))
      void reply.header(
        'content-security-policy',
        CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
      );
    return Promise.resolve();
  });
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSIBLE,
    // Brotli's default quality (11) costs far too much CPU per response; 4 is near gzip's speed.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
