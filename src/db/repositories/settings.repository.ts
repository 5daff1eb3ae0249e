import type { Kysely, Selectable } from 'kysely';
import type { Database, SettingTable } from '../schema.js';

export type SettingRow = Selectable<SettingTable>;

/** One change: a value to store, or null to forget the stored value (back to the environment's). */
export interface SettingWrite {
  key: string;
  value: unknown;
}

export class SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  all(): Promise<SettingRow[]> {
    return this.db.selectFrom('settings').selectAll().orderBy('key').execute();
  }

  /** Stores and forgets in one transaction, so a request never applies half its changes. */
  async write(changes: readonly SettingWrite[], updatedBy: string | null): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const c of changes) {
        if (c.value === null) {
          await tx.deleteFrom('settings').where('key', '=', c.key).execute();
          continue;
        }
        const value = JSON.stringify(c.value);
        await tx
          .insertInto('settings')
          .values({ key: c.key, value, updated_by: updatedBy, updated_at: new Date() })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ value, updated_by: updatedBy, updated_at: new Date() }),
          )
          .execute();
      }
    });
  }
}
