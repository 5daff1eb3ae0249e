import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Database, JobStatus, JobTable } from '../schema.js';

export type JobRow = Selectable<JobTable>;

export interface JobProgress {
  total?: number;
  done?: number;
  failed?: number;
}

export class JobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  create(input: {
    type: string;
    libraryId: string | null;
    requestedBy?: string | null;
    payload: Record<string, unknown>;
  }): Promise<JobRow> {
    return this.db
      .insertInto('jobs')
      .values({
        type: input.type,
        library_id: input.libraryId,
        requested_by: input.requestedBy ?? null,
        payload: JSON.stringify(input.payload),
        status: 'queued',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findById(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findVisible(
    id: string,
    visibleTo: { userId: string; libraryIds: readonly string[] },
  ): Promise<JobRow | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .where((eb) => jobVisible(eb, visibleTo))
      .executeTakeFirst();
  }

  findQueued(type: string, libraryId: string | null): Promise<JobRow | undefined> {
    let q = this.db.selectFrom('jobs').selectAll().where('status', '=', 'queued').where('type', '=', type);
    q = libraryId === null ? q.where('library_id', 'is', null) : q.where('library_id', '=', libraryId);
    return q.limit(1).executeTakeFirst();
  }

  /** Oldest queued job first; the in-process queue calls this when it has a free slot. */
  nextQueued(): Promise<JobRow | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'queued')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  /** Jobs that were running when the process died: queue them again (handlers are idempotent). */
  async requeueInterrupted(): Promise<number> {
    const rows = await this.db
      .updateTable('jobs')
      .set({ status: 'queued', updated_at: sql`now()` })
      .where('status', '=', 'running')
      .returning('id')
      .execute();
    return rows.length;
  }

  async markRunning(id: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status: 'running',
        started_at: sql`now()`,
        attempts: sql`attempts + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
  }

  async updateProgress(id: string, progress: JobProgress): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ ...progress, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async finish(
    id: string,
    status: Extract<JobStatus, 'completed' | 'failed'>,
    error: string | null,
  ): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status, error, finished_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Newest first, keyset-paginated on (created_at, id). Visible: jobs of the given libraries, jobs
   * the user asked for, and system-wide jobs (no library, nobody asked: e.g. duplicate analysis).
   */
  listPage(
    limit: number,
    after: { createdAt: Date; id: string } | null,
    visibleTo: { userId: string; libraryIds: readonly string[] },
  ): Promise<JobRow[]> {
    let q = this.db
      .selectFrom('jobs')
      .selectAll()
      .where((eb) => jobVisible(eb, visibleTo));
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
}

function jobVisible(
  eb: ExpressionBuilder<Database, 'jobs'>,
  to: { userId: string; libraryIds: readonly string[] },
) {
  return eb.or([
    eb('requested_by', '=', to.userId),
    ...(to.libraryIds.length > 0 ? [eb('library_id', 'in', to.libraryIds)] : []),
    eb.and([eb('library_id', 'is', null), eb('requested_by', 'is', null)]),
  ]);
}
