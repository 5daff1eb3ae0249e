import { randomUUID } from 'node:crypto';
import type { CredentialRepository } from '../../db/repositories/credential.repository.js';
import type { UserRepository, UserRow } from '../../db/repositories/user.repository.js';
import { ConflictError, TooManyRequestsError, UnauthorizedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AccessTokens } from './access-token.js';
import type { LoginRateLimiter } from './login-rate-limiter.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Principal, RequestOrigin } from './principal.js';
import { hashSecretToken, newSecretToken } from './secret-token.js';

export const API_KEY_PREFIX = 'psk_';
const LOGIN_FAILED = 'Email or password is incorrect.';
const SESSION_ENDED = 'Your session has ended. Sign in again.';

export interface Session {
  user: UserRow;
  accessToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How long an account's existence and role are trusted between database checks (cleared on change). */
export const ACCOUNT_CACHE_MS = 5000;

/** Sign-in, first-run set-up, token rotation and credential checks for every request. */
export class AuthService {
  /** Each token's account as the database last said (null: deleted), for ACCOUNT_CACHE_MS. */
  private readonly accounts = new Map<
    string,
    { account: Pick<UserRow, 'email' | 'role'> | null; until: number }
  >();

  constructor(
    private readonly users: UserRepository,
    private readonly credentials: CredentialRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly limits: { perIp: LoginRateLimiter; perAccount: LoginRateLimiter },
    private readonly refreshTtlDays: number,
    private readonly log: Logger,
  ) {}

  async setupRequired(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  /** Creates the first account as admin and signs it in; refused once any account exists. */
  async setup(input: { email: string; name: string; password: string }): Promise<Session> {
    if (!(await this.setupRequired())) throw this.alreadySetUp();
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.createFirst({
      email: normaliseEmail(input.email),
      name: input.name,
      passwordHash,
    });
    if (!user) throw this.alreadySetUp();
    this.log.info({ userId: user.id }, 'first admin account created');
    return this.startSession(user, randomUUID());
  }

  async login(email: string, password: string, origin: RequestOrigin): Promise<Session> {
    const account = normaliseEmail(email);
    const ipKey = `ip:${origin.ip}`;
    // Per account *and* address: failures from elsewhere never lock the owner out of their account;
    // guessing from many addresses is bounded by the per-IP limit of each.
    const accountKey = `account:${account}|ip:${origin.ip}`;
    const wait = Math.max(this.limits.perIp.blockedFor(ipKey), this.limits.perAccount.blockedFor(accountKey));
    if (wait > 0)
      throw new TooManyRequestsError(`Too many failed sign-in attempts. Try again in ${wait} seconds.`, wait);

    const user = await this.users.findByEmail(account);
    const ok = await this.hasher.verifyOrBurn(user?.password_hash, password);
    if (!user || !ok) {
      this.limits.perIp.recordFailure(ipKey);
      this.limits.perAccount.recordFailure(accountKey);
      this.log.warn({ ip: origin.ip }, 'failed sign-in');
      throw new UnauthorizedError(LOGIN_FAILED);
    }
    this.limits.perAccount.reset(accountKey);
    return this.startSession(user, randomUUID());
  }

  /**
   * Exchanges a refresh token for a new pair. A token presented after it was rotated means it was
   * copied: the whole family (every token descended from that login) is revoked.
   */
  async refresh(refreshToken: string | undefined): Promise<Session> {
    if (!refreshToken) throw new UnauthorizedError(SESSION_ENDED);
    const row = await this.credentials.findRefreshToken(hashSecretToken(refreshToken));
    if (!row || row.revoked_at) throw new UnauthorizedError(SESSION_ENDED);
    if (row.rotated_at || !(await this.credentials.markRotated(row.id))) {
      await this.credentials.revokeFamily(row.family_id);
      this.log.warn(
        { userId: row.user_id, familyId: row.family_id },
        'refresh token reused: session family revoked',
      );
      throw new UnauthorizedError(SESSION_ENDED);
    }
    if (row.expires_at.getTime() <= Date.now()) throw new UnauthorizedError(SESSION_ENDED);
    const user = await this.users.findById(row.user_id);
    if (!user) throw new UnauthorizedError(SESSION_ENDED);
    return this.startSession(user, row.family_id);
  }

  /** Revokes the session the refresh token belongs to (no error when there is none). */
  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const row = await this.credentials.findRefreshToken(hashSecretToken(refreshToken));
    if (row) await this.credentials.revokeFamily(row.family_id);
  }

  /** Signs the user out everywhere: refresh tokens revoked, access tokens refused (this process). */
  async endSessionsOf(userId: string): Promise<void> {
    await this.credentials.revokeAllForUser(userId);
    this.tokens.endSessionsOf(userId);
  }

  async principalFromAccessToken(token: string, via: 'bearer' | 'cookie'): Promise<Principal | null> {
    const claims = await this.tokens.verify(token);
    if (!claims) return null;
    // The token says who; the database says whether they still exist and with which role, so a
    // deleted or demoted account loses its rights at once rather than when the token expires.
    const account = await this.account(claims.userId);
    return account && { userId: claims.userId, email: account.email, role: account.role, via };
  }

  /** Forgets cached accounts (all, or one): the next request reads them again. */
  forgetAccounts(userId?: string): void {
    if (userId === undefined) this.accounts.clear();
    else this.accounts.delete(userId);
  }

  private async account(userId: string): Promise<Pick<UserRow, 'email' | 'role'> | null> {
    const now = Date.now();
    const cached = this.accounts.get(userId);
    if (cached && cached.until > now) return cached.account;
    const row = await this.users.findById(userId);
    const account = row ? { email: row.email, role: row.role } : null;
    if (this.accounts.size > 10_000) this.accounts.clear();
    this.accounts.set(userId, { account, until: now + ACCOUNT_CACHE_MS });
    return account;
  }

  async principalFromApiKey(key: string): Promise<Principal | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const row = await this.credentials.findApiKey(hashSecretToken(key));
    const user = row && (await this.users.findById(row.user_id));
    return user ? { userId: user.id, email: user.email, role: user.role, via: 'api-key' } : null;
  }

  private async startSession(user: UserRow, familyId: string): Promise<Session> {
    const refreshToken = newSecretToken();
    const refreshExpiresAt = new Date(Date.now() + this.refreshTtlDays * 24 * 3600 * 1000);
    await this.credentials.addRefreshToken({
      userId: user.id,
      familyId,
      tokenHash: hashSecretToken(refreshToken),
      expiresAt: refreshExpiresAt,
    });
    const accessToken = await this.tokens.sign({ userId: user.id, email: user.email, role: user.role });
    return { user, accessToken, expiresIn: this.tokens.ttlSeconds, refreshToken, refreshExpiresAt };
  }

  private alreadySetUp(): ConflictError {
    return new ConflictError('Set-up is complete: an administrator exists. Ask them to create your account.');
  }
}
