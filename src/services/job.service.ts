import type { ActionItemRow, ActionRepository } from '../db/repositories/action.repository.js';
import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { NotFoundError } from '../errors.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly actions: ActionRepository,
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

  /** The job, with the per-item results when it applies actions. */
  async get(who: Principal, id: string): Promise<{ job: JobRow; results: ActionItemRow[] | null }> {
    const visibleTo = { userId: who.userId, libraryIds: await this.access.visibleIds(who) };
    const job = await this.jobs.findVisible(id, visibleTo);
    if (!job) throw new NotFoundError(`Job ${id} not found`);
    return { job, results: job.type === 'actions.apply' ? await this.actions.itemsOfJob(id) : null };
  }
}
