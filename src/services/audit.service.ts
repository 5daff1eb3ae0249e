import type { AuditRepository, AuditRow } from '../db/repositories/audit.repository.js';
import type { RequestOrigin } from './auth/principal.js';

/** Who did what, when and from where: every destructive action and every access change. */
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  record(
    who: { userId: string; email: string | null } | null,
    origin: RequestOrigin | null,
    action: string,
    target: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.repo.add({
      userId: who?.userId ?? null,
      userEmail: who?.email ?? null,
      action,
      target,
      ip: origin?.ip ?? null,
      details,
    });
  }

  async list(q: {
    limit: number;
    after: { at: Date; id: string } | null;
    action?: string;
  }): Promise<{ items: AuditRow[]; next: { at: Date; id: string } | null }> {
    const rows = await this.repo.listPage({ ...q, limit: q.limit + 1 });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, next: rows.length > q.limit && last ? { at: last.at, id: last.id } : null };
  }
}
