import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import type { Session } from '../../services/auth/auth.service.js';

export const ACCESS_COOKIE = 'ps_access';
export const REFRESH_COOKIE = 'ps_refresh';
/** The refresh token only travels to the endpoints that use it. */
export const REFRESH_COOKIE_PATH = '/api/auth';

export interface CookieOptions {
  secure: boolean;
}

/** httpOnly (no script reads them) and SameSite=Strict (no other site sends them). */
export function setSessionCookies(reply: FastifyReply, session: Session, opts: CookieOptions): void {
  const base = { httpOnly: true, sameSite: 'strict' as const, secure: opts.secure };
  void reply.setCookie(ACCESS_COOKIE, session.accessToken, { ...base, path: '/', maxAge: session.expiresIn });
  void reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
    ...base,
    path: REFRESH_COOKIE_PATH,
    expires: session.refreshExpiresAt,
  });
}

export function clearSessionCookies(reply: FastifyReply, opts: CookieOptions): void {
  const base = { httpOnly: true, sameSite: 'strict' as const, secure: opts.secure };
  void reply.clearCookie(ACCESS_COOKIE, { ...base, path: '/' });
  void reply.clearCookie(REFRESH_COOKIE, { ...base, path: REFRESH_COOKIE_PATH });
}
