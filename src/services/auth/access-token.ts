import { errors, jwtVerify, SignJWT } from 'jose';
import type { UserRole } from '../../db/schema.js';

const ISSUER = 'photo-sync';
const AUDIENCE = 'photo-sync-api';

export interface AccessClaims {
  userId: string;
  email: string;
  role: UserRole;
}

/** Verified tokens remembered at most; beyond that the memory starts over (tokens live minutes). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Short-lived HS256 access tokens. Verification accepts HS256 only (so `alg: none` and any other
 * algorithm are rejected) and checks signature, issuer, audience and expiry.
 *
 * A client sends the same token with every request for its lifetime, so a token that verified is
 * remembered (by its exact text) until it expires: the HMAC is computed once per token, not once
 * per request. Only valid tokens are remembered, and expiry is checked on every use.
 */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();
  /** Users whose sessions an administrator ended (password reset, role change): since when. */
  private readonly endedAt = new Map<string, number>();
  /** Tokens seen in use before their user's sessions ended (refused until they expire). */
  private readonly denied = new Map<string, number>();

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: AccessClaims): Promise<string> {
    // `iat_ms`: when, to the millisecond, so sessions ended at an instant end exactly the tokens before it.
    return new SignJWT({ email: claims.email, role: claims.role, iat_ms: Date.now() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /**
   * Ends the user's access tokens in this process: every token issued before now is refused
   * (those seen in use already are remembered as refused). Refresh tokens are revoked in the
   * database by the caller.
   */
  endSessionsOf(userId: string): void {
    const now = Date.now();
    this.endedAt.set(userId, now);
    for (const [token, entry] of this.verified)
      if (entry.claims.userId === userId) {
        this.denied.set(token, entry.expiresAtMs);
        this.verified.delete(token);
      }
  }

  /** The claims of a valid token, or null for anything else (expired, forged, malformed). */
  async verify(token: string): Promise<AccessClaims | null> {
    if (this.denied.size > 0) {
      const until = this.denied.get(token);
      if (until !== undefined) {
        if (until > Date.now()) return null;
        this.denied.delete(token);
      }
    }
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAtMs > Date.now()) return known.claims;
      this.verified.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const { sub, email, role, exp, iat } = payload;
      const iatMs =
        typeof payload.iat_ms === 'number' ? payload.iat_ms : typeof iat === 'number' ? iat * 1000 : 0;
      if (typeof sub !== 'string' || typeof email !== 'string' || (role !== 'admin' && role !== 'user'))
        return null;
      const ended = this.endedAt.get(sub);
      if (ended !== undefined && iatMs < ended) return null;
      const claims: AccessClaims = { userId: sub, email, role };
      // jose refuses a token without `exp` only when asked to; ours always carry one.
      if (typeof exp === 'number') {
        if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
        this.verified.set(token, { claims, expiresAtMs: exp * 1000 });
      }
      return claims;
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }
}
