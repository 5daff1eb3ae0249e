import { errors, jwtVerify, SignJWT } from 'jose';
import type { UserRole } from '../../db/schema.js';

const ISSUER = 'photo-sync';
const AUDIENCE = 'photo-sync-api';

export interface AccessClaims {
  userId: string;
  email: string;
  role: UserRole;
}

/**
 * Short-lived HS256 access tokens. Verification accepts HS256 only (so `alg: none` and any other
 * algorithm are rejected) and checks signature, issuer, audience and expiry.
 */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ email: claims.email, role: claims.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The claims of a valid token, or null for anything else (expired, forged, malformed). */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const { sub, email, role } = payload;
      if (typeof sub !== 'string' || typeof email !== 'string' || (role !== 'admin' && role !== 'user'))
        return null;
      return { userId: sub, email, role };
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }
}
