import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../schema.js';

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditEntry {
  userId: string | null;
  userEmail: string | null;
  action: string;
  target: string;
  ip: string | null;
  details?: Record<string, unknown>;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        user_id: e.userId,
        user_email: e.userEmail,
        action: e.action,
        target: e.target,
        ip: e.ip,
        details: JSON.stringify(e.details ?? {}),
      })
      .execute();
  }

  /** Newest first, keyset-paginated on (at, id). */
  listPage(q: {
    limit: number;
    after: { at: Date; id: string } | null;
    action?: string;
  }): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (q.action) query = query.where('action', '=', q.action);
    const after = q.after;
    if (after)
      query = query.where((eb) =>
        eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]),
      );
    return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }
}
