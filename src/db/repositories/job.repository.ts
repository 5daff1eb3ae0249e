import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { queryInChunks } from '../chunks.js';
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
    parentId?: string | null;
  }): Promise<JobRow> {
    return this.db
      .insertInto('jobs')
      .values({
        type: input.type,
        library_id: input.libraryId,
        requested_by: input.requestedBy ?? null,
        payload: JSON.stringify(input.payload),
        status: 'queued',
        parent_id: input.parentId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Many children of one parent (a scan may split into tens of thousands of batches): inserted in
   * chunks within the driver's parameter limit, in one transaction so a crash leaves all or none.
   */
  createChildren(
    parent: Pick<JobRow, 'id' | 'library_id' | 'requested_by'>,
    type: string,
    payloads: readonly Record<string, unknown>[],
  ): Promise<JobRow[]> {
    if (payloads.length === 0) return Promise.resolve([]);
    const rows = payloads.map((p) => ({
      type,
      library_id: parent.library_id,
      requested_by: parent.requested_by,
      payload: JSON.stringify(p),
      status: 'queued' as const,
      parent_id: parent.id,
    }));
    return this.db
      .transaction()
      .execute((trx) =>
        queryInChunks(rows, (chunk) => trx.insertInto('jobs').values(chunk).returningAll().execute(), 6),
      );
  }

  /** The job's own work is done; it completes when `rollUp` finds no unfinished child. */
  async markWaiting(
    id: string,
    onComplete: { name: string; payload: Record<string, unknown> } | null,
  ): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status: 'waiting',
        on_complete: onComplete && JSON.stringify(onComplete),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Sums the children's progress into a waiting parent and completes it when none is left
   * unfinished. Safe to call concurrently: the finishing child that commits last sees every
   * sibling finished, and the status guard lets exactly one caller observe the completion.
   */
  async rollUp(parentId: string): Promise<{ row: JobRow; justCompleted: boolean } | null> {
    const result = await sql<JobRow & { just_completed: boolean }>`
      with agg as (
        select count(*) filter (where status in ('queued', 'running', 'waiting')) as open,
               coalesce(sum(done), 0)::int as done, coalesce(sum(failed), 0)::int as failed
        from jobs where parent_id = ${parentId}
      )
      update jobs set
        done = agg.done,
        failed = agg.failed,
        status = case when agg.open = 0 then 'completed' else 'waiting' end,
        finished_at = case when agg.open = 0 then now() else null end,
        updated_at = now()
      from agg
      where jobs.id = ${parentId} and jobs.status = 'waiting'
      returning jobs.*, (agg.open = 0) as just_completed`.execute(this.db);
    const first = result.rows[0];
    if (!first) return null;
    const { just_completed, ...row } = first;
    return { row, justCompleted: just_completed };
  }

  /** A parked (failed) job back in the queue, its error cleared; null when it is not failed. */
  async requeueFailed(id: string): Promise<JobRow | null> {
    const row = await this.db
      .updateTable('jobs')
      .set({ status: 'queued', error: null, finished_at: null, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** A job handed back (shutdown) or waiting for a retry: queued again, keeping its last error. */
  async markQueued(id: string, error: string | null): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'queued', error, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Jobs that should be in the shared queue but may not be (Redis lost its data or was down when
   * they were added): queued ones, and running ones whose worker stopped reporting.
   */
  listUndispatched(olderThan: Date, runningStaleBefore: Date, limit: number): Promise<JobRow[]> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('updated_at', '<', olderThan)]),
          eb.and([eb('status', '=', 'running'), eb('updated_at', '<', runningStaleBefore)]),
        ]),
      )
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /** Queued, running or waiting jobs (a queue is idle when there are none). */
  async countUnfinished(): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', 'in', ['queued', 'running', 'waiting'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
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

  /**
   * Oldest queued job first, leaving out `except` (ids the caller has started but may not have
   * marked running yet); the in-process queue calls this when it has a free slot.
   */
  /** The oldest queued job, except those ids; only of `onlyTypes` when given (e.g. while a disk is full). */
  nextQueued(except: readonly string[] = [], onlyTypes?: readonly string[]): Promise<JobRow | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'queued')
      .$if(except.length > 0, (q) => q.where('id', 'not in', except))
      .$if(onlyTypes !== undefined, (q) => q.where('type', 'in', onlyTypes?.length ? onlyTypes : ['']))
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
