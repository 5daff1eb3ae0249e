import type { ActionItemRow, ActionRepository } from '../db/repositories/action.repository.js';
import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly actions: ActionRepository,
    private readonly access: LibraryAccess,
    private readonly queue: Pick<JobQueue, 'retry'>,
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

  /** Puts a parked (failed) job the caller can see back in the queue, its error cleared. */
  async retry(who: Principal, id: string): Promise<JobRow> {
    const { job } = await this.get(who, id);
    const row = await this.queue.retry(id);
    if (!row)
      throw new ConflictError(
        `Job ${id} is ${job.status}; only a failed job can be retried. Wait for it to finish or fail.`,
      );
    return row;
  }
}
