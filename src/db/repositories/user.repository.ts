import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UserRole, UserTable } from '../schema.js';

export type UserRow = Selectable<UserTable>;

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  /** Inserts the user; returns undefined when the email is taken (unique index). */
  async create(input: {
    email: string;
    name: string;
    role: UserRole;
    passwordHash: string;
  }): Promise<UserRow | undefined> {
    return this.db
      .insertInto('users')
      .values({ email: input.email, name: input.name, role: input.role, password_hash: input.passwordHash })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * The first user, atomically: inserted only while the table is empty, so two concurrent set-up
   * requests cannot both create an admin. A transaction-level advisory lock serialises them.
   */
  createFirst(input: { email: string; name: string; passwordHash: string }): Promise<UserRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('photo-sync:first-user'))`.execute(trx);
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (existing) return undefined;
      const user = await trx
        .insertInto('users')
        .values({ email: input.email, name: input.name, role: 'admin', password_hash: input.passwordHash })
        .returningAll()
        .executeTakeFirstOrThrow();
      // Libraries registered from the command line before anyone existed belong to the first admin.
      await trx.updateTable('libraries').set({ owner_id: user.id }).where('owner_id', 'is', null).execute();
      return user;
    });
  }

  async firstAdminId(): Promise<string | null> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Sets the account's role; undefined when that would leave no administrator (checked and
   * written under one lock, so two admins demoting each other cannot both succeed).
   */
  setRole(id: string, role: UserRole): Promise<UserRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('photo-sync:user-roles'))`.execute(trx);
      if (role !== 'admin') {
        const others = await trx
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('id', '!=', id)
          .limit(1)
          .executeTakeFirst();
        if (!others) return undefined;
      }
      return trx
        .updateTable('users')
        .set({ role, updated_at: sql`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    });
  }

  /** Deletes the account; its libraries pass to `heirId` so no library is left without an owner. */
  delete(id: string, heirId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.updateTable('libraries').set({ owner_id: heirId }).where('owner_id', '=', id).execute();
      const res = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    });
  }
}
