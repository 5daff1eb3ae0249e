import type { ApiKeyRow, CredentialRepository } from '../db/repositories/credential.repository.js';
import type { UserRepository, UserRow } from '../db/repositories/user.repository.js';
import type { UserRole } from '../db/schema.js';
import { ConflictError, InvalidInputError, NotFoundError, UnauthorizedError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import type { AuditService } from './audit.service.js';
import { API_KEY_PREFIX, normaliseEmail } from './auth/auth.service.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import { hashSecretToken, newSecretToken } from './auth/secret-token.js';

/** Accounts (admins create them; open sign-up ends with the first-run set-up) and API keys. */
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly credentials: CredentialRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
    /** Ends every session of a user (refresh tokens and live access tokens). */
    private readonly endSessions: (userId: string) => Promise<void> = (id) =>
      credentials.revokeAllForUser(id),
  ) {}

  async me(who: Principal): Promise<UserRow> {
    const user = await this.users.findById(who.userId);
    if (!user) throw new UnauthorizedError('Your account no longer exists.');
    return user;
  }

  async changePassword(who: Principal, current: string, next: string, origin: RequestOrigin): Promise<void> {
    const user = await this.me(who);
    if (!(await this.hasher.verify(user.password_hash, current)))
      throw new InvalidInputError('The current password is not correct.');
    await this.users.setPasswordHash(user.id, await this.hasher.hash(next));
    // Every other session ends: whoever knew the old password is signed out.
    await this.credentials.revokeAllForUser(user.id);
    await this.audit.record(who, origin, 'user.password-changed', `user:${user.id}`);
  }

  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  async create(
    who: Principal,
    input: { email: string; name: string; password: string; role: UserRole },
    origin: RequestOrigin,
  ): Promise<UserRow> {
    const user = await this.users.create({
      email: normaliseEmail(input.email),
      name: input.name,
      role: input.role,
      passwordHash: await this.hasher.hash(input.password),
    });
    if (!user)
      throw new ConflictError(`An account with email ${normaliseEmail(input.email)} already exists.`);
    await this.audit.record(who, origin, 'user.created', `user:${user.id}`, {
      email: user.email,
      role: user.role,
    });
    return user;
  }

  async delete(who: Principal, id: string, origin: RequestOrigin): Promise<void> {
    if (id === who.userId) throw new InvalidInputError('You cannot delete your own account.');
    const user = await this.users.findById(id);
    // Their libraries (the index, not the files) pass to the admin who deletes the account.
    if (!user || !(await this.users.delete(id, who.userId))) throw new NotFoundError(`User ${id} not found`);
    this.events.emit('access.changed', { libraryId: null });
    await this.audit.record(who, origin, 'user.deleted', `user:${id}`, {
      email: user.email,
      librariesTo: who.userId,
    });
  }

  /**
   * An administrator sets a new password for an account (the login page's "ask an administrator"):
   * every session of that user ends, so whoever held the old password is signed out.
   */
  async resetPassword(who: Principal, id: string, password: string, origin: RequestOrigin): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    await this.users.setPasswordHash(id, await this.hasher.hash(password));
    await this.endSessions(id);
    this.events.emit('access.changed', { libraryId: null });
    await this.audit.record(who, origin, 'user.password-reset', `user:${id}`, { email: user.email });
    return user;
  }

  /**
   * Makes an account an administrator or a user. The last administrator stays one, and nobody
   * demotes themselves (another admin must). It applies on the account's next request.
   */
  async changeRole(who: Principal, id: string, role: UserRole, origin: RequestOrigin): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    if (user.role === role) return user;
    if (id === who.userId)
      throw new InvalidInputError('You cannot change your own role; ask another administrator.');
    const updated = await this.users.setRole(id, role);
    if (!updated)
      throw new ConflictError(
        `${user.email} is the last administrator; make someone else an administrator first.`,
      );
    // Sessions stay: every request reads the account's role again, so the new role applies at once.
    this.events.emit('access.changed', { libraryId: null });
    await this.audit.record(who, origin, 'user.role-changed', `user:${id}`, {
      email: user.email,
      from: user.role,
      to: role,
    });
    return updated;
  }

  listApiKeys(who: Principal): Promise<ApiKeyRow[]> {
    return this.credentials.listApiKeys(who.userId);
  }

  /** Returns the new key's secret: shown once, only its hash is kept. */
  async createApiKey(who: Principal, name: string): Promise<{ key: ApiKeyRow; secret: string }> {
    const secret = newSecretToken(API_KEY_PREFIX);
    const key = await this.credentials.createApiKey({
      userId: who.userId,
      name,
      prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: hashSecretToken(secret),
    });
    return { key, secret };
  }

  async deleteApiKey(who: Principal, id: string): Promise<void> {
    if (!(await this.credentials.deleteApiKey(who.userId, id)))
      throw new NotFoundError(`API key ${id} not found`);
  }
}
