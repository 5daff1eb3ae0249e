import type { ActionItemRow, ActionRepository } from '../db/repositories/action.repository.js';
import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Principal } from './auth/principal.js';
import type { ImmichWriter } from './immich-writer.js';
import type { LibraryAccess } from './library-access.js';

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly actions: ActionRepository,
    private readonly access: LibraryAccess,
    private readonly queue: JobQueue,
    private readonly immich: ImmichWriter | null = null,
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

  /**
   * Runs a failed job again. An action job: a new job for its failed items only (the applied ones
   * stay applied); an Immich push likewise for its failed writes. Any other job is parked after its last attempt: the same job (same id, in the
   * database and in the queue) goes back to the queue with its error cleared. Needs editor rights
   * on the job's library.
   */
  async retry(who: Principal, id: string): Promise<string> {
    const { job } = await this.get(who, id);
    if (job.library_id) await this.access.require(who, job.library_id, 'editor', `Job ${id}`);
    if (job.type === 'actions.apply') {
      const itemIds = await this.actions.requeueFailed(id);
      if (itemIds.length === 0) throw new ConflictError(`Job ${id} has no failed item to retry.`);
      return this.queue.enqueue(
        'actions.apply',
        { itemIds },
        { libraryId: job.library_id, requestedBy: who.userId },
      );
    }
    if (job.type === 'immich.push' && this.immich) {
      const again = await this.immich.retryFailed(who, id);
      if (again) return again;
    }
    const row = job.status === 'failed' ? await this.queue.retry(id) : null;
    if (!row) throw new ConflictError(`Job ${id} did not fail (${job.status}); nothing to retry.`);
    return row.id;
  }
}
