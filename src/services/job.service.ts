import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';

export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly queue: Pick<JobQueue, 'retry'>,
  ) {}

  /** Puts a parked (failed) job back in the queue with its attempts renewed. */
  async retry(id: string): Promise<JobRow> {
    const current = await this.get(id);
    const row = await this.queue.retry(id);
    if (!row)
      throw new ConflictError(
        `Job ${id} is ${current.status}; only a failed job can be retried. Wait for it to finish or fail.`,
      );
    return row;
  }

  async list(
    limit: number,
    after: { at: Date; id: string } | null,
  ): Promise<{ items: JobRow[]; next: { at: Date; id: string } | null }> {
    const rows = await this.jobs.listPage(limit + 1, after && { createdAt: after.at, id: after.id });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? { at: last.created_at, id: last.id } : null };
  }

  async get(id: string): Promise<JobRow> {
    const row = await this.jobs.findById(id);
    if (!row) throw new NotFoundError(`Job ${id} not found`);
    return row;
  }
}
