import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { AuthService } from '../../services/auth/auth.service.js';
import type { Principal, RequestOrigin } from '../../services/auth/principal.js';
import { ACCESS_COOKIE } from './session-cookies.js';

/** What a route requires; every route declares one in `config.auth` (checked at registration). */
export type AuthRequirement = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route with its auth requirement, as registered (the route-table tests read it). */
    routeTable: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  auth: AuthRequirement;
}

/** Routes added by plugins we do not write (the OpenAPI UI): public by prefix. */
export const PUBLIC_PLUGIN_PREFIX = '/api/docs';

export class RouteWithoutAuthError extends Error {
  constructor(method: string, url: string) {
    super(
      `Route ${method} ${url} declares no auth requirement: add config: { auth: 'public' | 'user' | 'admin' }`,
    );
    this.name = 'RouteWithoutAuthError';
  }
}

export function authRequirementOf(route: Pick<RouteOptions, 'url' | 'config'>): AuthRequirement | undefined {
  if (route.url.startsWith(PUBLIC_PLUGIN_PREFIX)) return 'public';
  return route.config?.auth;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller for every request: `Authorization: Bearer <jwt>`, `x-api-key`, or the
 * `ps_access` cookie (what the web app, `<img>` and EventSource send). A route refuses to register
 * without an auth declaration, so nothing is reachable by accident.
 */
export function registerRouteAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  const table: RegisteredRoute[] = [];
  app.decorate('routeTable', table);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const requirement = authRequirementOf(route);
    if (!requirement) throw new RouteWithoutAuthError(methods.join(','), route.url);
    for (const method of methods) table.push({ method, url: route.url, auth: requirement });
  });

  app.addHook('onRequest', async (req) => {
    const requirement = req.routeOptions.url
      ? authRequirementOf({ url: req.routeOptions.url, config: req.routeOptions.config })
      : 'public';
    if (requirement === 'public' || requirement === undefined) return;
    req.principal = await resolvePrincipal(req, auth);
    if (!req.principal)
      throw new UnauthorizedError('Sign in to use this endpoint (session expired or credentials missing).');
    if (req.principal.via === 'cookie' && !SAFE_METHODS.has(req.method)) assertSameOrigin(req);
    if (requirement === 'admin' && req.principal.role !== 'admin')
      throw new ForbiddenError('Only an administrator can do this.');
  });
}

async function resolvePrincipal(req: FastifyRequest, auth: AuthService): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m?.[1] ? auth.principalFromAccessToken(m[1], 'bearer') : null;
  }
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return auth.principalFromApiKey(apiKey);
  const cookie = req.cookies[ACCESS_COOKIE];
  return cookie ? auth.principalFromAccessToken(cookie, 'cookie') : null;
}

/**
 * Defence in depth beside SameSite=Strict: a state-changing request authenticated by cookie must
 * not come from another site's page (Origin, when the browser sends it, names our host).
 */
function assertSameOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new ForbiddenError('Cross-site request refused.');
  }
  if (host !== req.headers.host) throw new ForbiddenError('Cross-site request refused.');
}

/** The caller of a route that requires auth (the hook guarantees it is set). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new UnauthorizedError('Sign in to use this endpoint.');
  return req.principal;
}

export function originOf(req: FastifyRequest): RequestOrigin {
  return { ip: req.ip };
}
