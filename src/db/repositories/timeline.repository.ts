import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface MonthBucketRow {
  /** `YYYY-MM` in the asked time zone. */
  month: string;
  /** Cards the timeline shows: a version stack or a burst counts once per day. */
  cards: number;
  assets: number;
}

export interface BucketQuery {
  /** Libraries the caller may see, or the one asked for (never empty). */
  libraryIds: readonly string[];
  /** IANA time zone the months (and the days cards group by) are counted in. */
  timeZone: string;
}

export class TimelineRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Per-month counts of the timeline (ready assets, XMP sidecars excluded, as GET /api/assets
   * lists them), newest month first, in one aggregate pass. Assets of one version stack (else one
   * burst) on the same local day are one card, exactly as the web timeline groups them.
   */
  async monthBuckets(q: BucketQuery): Promise<MonthBucketRow[]> {
    const { rows } = await sql<{ month: string; cards: string; assets: string }>`
      with visible as (
        select a.id, a.burst_id, m.stack_id, (a.sort_at at time zone ${q.timeZone}) as local_at
        from assets a
        left join version_stack_members m on m.asset_id = a.id
        where a.status = 'ready' and a.kind <> 'xmp'
          and a.library_id in (${sql.join(q.libraryIds.map((id) => sql`${id}::uuid`))})
      )
      select to_char(local_at, 'YYYY-MM') as month,
        count(*) as assets,
        count(*) filter (where stack_id is null and burst_id is null)
          + count(distinct (date_trunc('day', local_at), coalesce(stack_id::text, 'b:' || burst_id::text)))
            filter (where stack_id is not null or burst_id is not null) as cards
      from visible
      group by 1
      order by 1 desc`.execute(this.db);
    return rows.map((r) => ({ month: r.month, cards: Number(r.cards), assets: Number(r.assets) }));
  }
}
