import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { NotFoundError } from '../errors.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly access: LibraryAccess,
  ) {}

  async list(
    who: Principal,
    limit: number,
    after: { at: Date; id: string } | null,
  ): Promise<{ items: JobRow[]; next: { at: Date; id: string } | null }> {
    const visibleTo = { userId: who.userId, libraryIds: await this.access.visibleIds(who) };
    const rows = await this.jobs.listPage(
      limit + 1,
      after && { createdAt: after.at, id: after.id },
      visibleTo,
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? { at: last.created_at, id: last.id } : null };
  }

  async get(who: Principal, id: string): Promise<JobRow> {
    const visibleTo = { userId: who.userId, libraryIds: await this.access.visibleIds(who) };
    const row = await this.jobs.findVisible(id, visibleTo);
    if (!row) throw new NotFoundError(`Job ${id} not found`);
    return row;
  }
}
