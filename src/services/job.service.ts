import type { JobRepository, JobRow } from '../db/repositories/job.repository.js';
import { NotFoundError } from '../errors.js';

export class JobService {
  constructor(private readonly jobs: JobRepository) {}

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
