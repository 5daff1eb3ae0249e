import { isInvalidParameterValue } from '../db/database-errors.js';
import type { GridRow, MonthBucketRow, TimelineRepository } from '../db/repositories/timeline.repository.js';
import type { TimelineFilter } from '../db/repositories/timeline-filter.js';
import { InvalidInputError } from '../errors.js';
import type { Principal } from './auth/principal.js';
import { scopeOfCaller } from './caller-scope.js';
import type { LibraryAccess } from './library-access.js';
import { pageOf } from './page.js';

export interface TimelineBuckets {
  timeZone: string;
  /** Newest month first. */
  buckets: MonthBucketRow[];
}

export interface GridPage {
  items: GridRow[];
  next: { at: Date; id: string } | null;
}

/**
 * The shape of the whole timeline before any asset is loaded: how many cards each month holds, so
 * the web app lays out every month up front (estimated heights), scrubs to any of them and loads a
 * month's assets only when it comes near the viewport — as grid pages holding only what a card draws.
 */
export class TimelineService {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly access: LibraryAccess,
  ) {}

  async buckets(
    who: Principal,
    q: { library?: string; timeZone: string; filter?: TimelineFilter },
  ): Promise<TimelineBuckets> {
    const scope = await scopeOfCaller(this.access, who, { library: q.library });
    if (!scope) return { timeZone: q.timeZone, buckets: [] };
    try {
      const buckets = await this.timeline.monthBuckets({
        libraryIds: scope.libraryIds,
        timeZone: q.timeZone,
        filter: q.filter,
      });
      return { timeZone: q.timeZone, buckets };
    } catch (error) {
      // The browser and the database may know different time-zone lists.
      if (isInvalidParameterValue(error))
        throw new InvalidInputError(
          `Unknown time zone "${q.timeZone}": use an IANA name such as Europe/Paris.`,
        );
      throw error;
    }
  }

  /**
   * A page of the timeline grid (the assets of GET /api/assets, in its order, with only what the
   * grid draws) of the libraries the caller can see, or of the one asked for (404 if not theirs).
   */
  async gridPage(
    who: Principal,
    q: {
      library?: string;
      limit: number;
      after: { at: Date; id: string } | null;
      filter?: TimelineFilter;
    },
  ): Promise<GridPage> {
    const scope = await scopeOfCaller(this.access, who, { library: q.library });
    if (!scope) return { items: [], next: null };
    // One extra row tells whether another page exists without a count query.
    const rows = await this.timeline.gridPage({
      libraryIds: scope.libraryIds,
      limit: q.limit + 1,
      after: q.after && { sortAt: q.after.at, id: q.after.id },
      filter: q.filter,
    });
    return pageOf(rows, q.limit, (r) => ({ at: new Date(r.sort_ms), id: r.id }));
  }
}
