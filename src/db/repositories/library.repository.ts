import type { Kysely, Selectable } from 'kysely';
import type { Database, LibraryTable } from '../schema.js';

export type LibraryRow = Selectable<LibraryTable>;

export class LibraryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<LibraryRow[]> {
    return this.db.selectFrom('libraries').selectAll().orderBy('created_at').execute();
  }

  findById(id: string): Promise<LibraryRow | undefined> {
    return this.db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  create(input: { name: string; roots: string[]; readOnly?: boolean }): Promise<LibraryRow> {
    return this.db
      .insertInto('libraries')
      .values({ name: input.name, roots: JSON.stringify(input.roots), read_only: input.readOnly ?? false })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async markScanned(id: string, at: Date): Promise<void> {
    await this.db.updateTable('libraries').set({ last_scan_at: at }).where('id', '=', id).execute();
  }
}
