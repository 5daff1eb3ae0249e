import { Link, useLocation } from 'wouter';
import { ConfidenceBadge, EmptyState, ErrorBox, Loading, MoreButton, PageHeader } from '../ui/components';
import { formatBytes, formatDateTime } from '../ui/format';
import { FfmpegNotice, MediaThumb } from '../explore/MediaThumb';
import { useDuplicateList, useListParams, type DuplicateSort } from './use-duplicate-list';

const kinds: { value: string; label: string }[] = [
  { value: '', label: 'All kinds' },
  { value: 'exact', label: 'Exact copies' },
  { value: 'near', label: 'Near duplicates' },
  { value: 'similar', label: 'Similar' },
];

export default function DuplicatesPage() {
  const { sort, kind } = useListParams();
  const [, navigate] = useLocation();
  const list = useDuplicateList(sort, kind);
  const groups = list.data?.pages.flatMap((p) => p.items) ?? [];
  const qs = (s: DuplicateSort, k: string | undefined) => `?sort=${s}${k ? `&kind=${k}` : ''}`;

  return (
    <div>
      <PageHeader title="Duplicates">
        <label>
          Sort{' '}
          <select
            value={sort}
            onChange={(e) => navigate(`/duplicates${qs(e.target.value as DuplicateSort, kind)}`)}
          >
            <option value="space">Space saved</option>
            <option value="newest">Newest</option>
            <option value="similarity">Similarity</option>
          </select>
        </label>
        <label>
          Kind{' '}
          <select
            value={kind ?? ''}
            onChange={(e) => navigate(`/duplicates${qs(sort, e.target.value || undefined)}`)}
          >
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {groups[0] ? (
          <Link className="button primary" href={`/duplicates/${groups[0].id}${qs(sort, kind)}`}>
            Start review
          </Link>
        ) : null}
      </PageHeader>
      <FfmpegNotice />
      {list.isPending ? <Loading what="duplicate groups" /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : null}
      {!list.isPending && groups.length === 0 && !list.error ? (
        <EmptyState title="No duplicates to review">
          <p>
            Every group has a decision, or none was found yet. A scan finds duplicates automatically; check
            progress in <Link href="/jobs">Jobs</Link>.
          </p>
        </EmptyState>
      ) : null}
      <ul className="group-list">
        {groups.map((g) => (
          <li key={g.id}>
            <Link href={`/duplicates/${g.id}${qs(sort, kind)}`} className="group-row" data-group={g.id}>
              <MediaThumb src={g.keeperThumbnailUrl} kind={g.keeperKind} />
              <div>
                <strong>
                  {g.memberCount} copies · {g.kind}
                </strong>
                <div className="muted">
                  {formatBytes(g.bytesReclaimable)} to save · similarity {Math.round(g.minSimilarity * 100)}%
                  · newest {formatDateTime(g.newestAt)}
                </div>
              </div>
              <ConfidenceBadge confidence={g.confidence} />
            </Link>
          </li>
        ))}
      </ul>
      <MoreButton list={list} />
    </div>
  );
}
