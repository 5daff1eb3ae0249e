import type { ActionItemRow, ActionRepository } from '../db/repositories/action.repository.js';
import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { isJobName, jobPayloadSchemas } from '../jobs/job-registry.js';
import type { Principal } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly actions: ActionRepository,
    private readonly access: LibraryAccess,
    private readonly queue: JobQueue,
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
   * Runs a failed job again: for an action job only its failed items (the applied ones stay
   * applied); for any other job the same payload. Needs editor rights on the job's library.
   */
  async retry(who: Principal, id: string): Promise<string> {
    const { job } = await this.get(who, id);
    if (job.library_id) await this.access.require(who, job.library_id, 'editor', `Job ${id}`);
    const opts = { libraryId: job.library_id, requestedBy: who.userId };
    if (job.type === 'actions.apply') {
      const itemIds = await this.actions.requeueFailed(id);
      if (itemIds.length === 0) throw new ConflictError(`Job ${id} has no failed item to retry.`);
      return this.queue.enqueue('actions.apply', { itemIds }, opts);
    }
    if (job.status !== 'failed')
      throw new ConflictError(`Job ${id} did not fail (${job.status}); nothing to retry.`);
    if (!isJobName(job.type)) throw new ConflictError(`Job ${id} has an unknown type (${job.type}).`);
    const name = job.type;
    return this.queue.enqueue(name, jobPayloadSchemas[name].parse(job.payload), opts);
  }
}
