import './explore.css';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { errorMessage } from '../api/client';
import { explore } from '../api/explore';

/** The files a job failed on, each with why (GET /api/jobs/:id/failures), under the job's row. */
export function JobFailures({ jobId, failed }: { jobId: string; failed: number }) {
  const q = useQuery({
    queryKey: ['jobs', 'failures', jobId, failed],
    queryFn: () => explore.jobFailures(jobId),
    staleTime: 30_000,
  });
  if (q.error) return <p className="form-error">{errorMessage(q.error)}</p>;
  const items = q.data?.items;
  if (!items) return <p className="muted">Loading the failed files…</p>;
  if (items.length === 0)
    return (
      <p className="muted">
        The failed files are no longer failing (fixed or rescanned). See{' '}
        <Link href="/problems">Problems</Link>.
      </p>
    );
  return (
    <div className="job-failures">
      <ul aria-label="Failed files">
        {items.map((f) => (
          <li key={`${f.assetId ?? ''}${f.path}`} data-failed-path={f.path}>
            <code className="path">{f.path}</code>
            <span className="failure-reason">{f.reason}</span>
          </li>
        ))}
      </ul>
      {failed > items.length ? (
        <p className="muted">
          {failed - items.length} more: see <Link href="/problems">Problems</Link>.
        </p>
      ) : (
        <Link href="/problems">All problems</Link>
      )}
    </div>
  );
}
