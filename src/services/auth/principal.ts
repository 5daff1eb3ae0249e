import type { UserRole } from '../../db/schema.js';

/** Who is calling: resolved once per request by the auth hook and passed to every service call. */
export interface Principal {
  readonly userId: string;
  readonly email: string;
  readonly role: UserRole;
  readonly via: 'bearer' | 'cookie' | 'api-key';
}

/** Where a request came from, for the audit log and the login rate limit. */
export interface RequestOrigin {
  readonly ip: string;
}
