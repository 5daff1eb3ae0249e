import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApiKeyTable, Database, RefreshTokenTable } from '../schema.js';

export type RefreshTokenRow = Selectable<RefreshTokenTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;

/** Refresh tokens and API keys; only their SHA-256 hashes are stored. */
export class CredentialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async addRefreshToken(input: {
    userId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        user_id: input.userId,
        family_id: input.familyId,
        token_hash: input.tokenHash,
        expires_at: input.expiresAt,
      })
      .execute();
  }

  findRefreshToken(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    return this.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  /**
   * Marks the token rotated if, and only if, it was still live. Returns false when another request
   * rotated it first — the caller treats that as reuse.
   */
  async markRotated(id: string): Promise<boolean> {
    const res = await this.db
      .updateTable('refresh_tokens')
      .set({ rotated_at: sql`now()` })
      .where('id', '=', id)
      .where('rotated_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: sql`now()` })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: sql`now()` })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  createApiKey(input: { userId: string; name: string; prefix: string; keyHash: string }): Promise<ApiKeyRow> {
    return this.db
      .insertInto('api_keys')
      .values({ user_id: input.userId, name: input.name, prefix: input.prefix, key_hash: input.keyHash })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  listApiKeys(userId: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .updateTable('api_keys')
      .set({ last_used_at: sql`now()` })
      .where('key_hash', '=', keyHash)
      .returningAll()
      .executeTakeFirst();
  }

  async deleteApiKey(userId: string, id: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('api_keys')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
