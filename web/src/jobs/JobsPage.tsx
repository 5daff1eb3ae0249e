import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, errorMessage } from '../api/client';
import { onJobProgress } from '../api/events';
import { EmptyState, ErrorBox, Loading, MoreButton, PageHeader, ProgressBar } from '../ui/components';
import { formatDateTime } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';
import { jobLabel } from './JobProgress';
import { JobFailures } from '../explore/JobFailures';
import { usePermissions } from '../auth/permissions';
import type { Job, Page } from '../api/types';
import type { InfiniteData } from '@tanstack/react-query';

export default function JobsPage() {
  const client = useQueryClient();
  const perm = usePermissions();
  const list = useCursorList(['jobs'], (cursor) => api.jobs.list({ cursor, limit: 50 }));
  const retry = useMutation({
    mutationFn: (id: string) => api.jobs.retry(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
  // Live progress: patch the listed job in place from each Server-Sent Event.
  useEffect(
    () =>
      onJobProgress((e) => {
        client.setQueryData<InfiniteData<Page<Job>>>(['jobs'], (old) => {
          if (!old) return old;
          const found = old.pages.some((p) => p.items.some((j) => j.id === e.jobId));
          const pages = old.pages.map((p) => ({
            ...p,
            items: p.items.map((j) => {
              if (j.id !== e.jobId) return j;
              return {
                ...j,
                status: e.status as Job['status'],
                progress: { total: e.total, done: e.done, failed: e.failed },
              };
            }),
          }));
          if (!found) void client.invalidateQueries({ queryKey: ['jobs'] });
          return { ...old, pages };
        });
      }),
    [client],
  );
  return (
    <div>
      <PageHeader title="Jobs">
        <button type="button" onClick={() => void list.refetch()}>
          Refresh
        </button>
      </PageHeader>
      {list.isPending ? <Loading what="jobs" /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : null}
      {retry.error ? <p className="form-error">{errorMessage(retry.error)}</p> : null}
      {!list.isPending && !list.error && list.items.length === 0 ? (
        <EmptyState title="No jobs yet">
          <p>Scans, duplicate analysis and removals run as jobs; they appear here with their progress.</p>
        </EmptyState>
      ) : null}
      <table className="jobs-table">
        <thead>
          <tr>
            <th>Job</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Started</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.items.map((j) => (
            <tr key={j.id} data-job={j.id} data-status={j.status}>
              <td>{jobLabel(j.type)}</td>
              <td>
                <span className={`status status-${j.status}`}>{j.status}</span>
                {j.error ? <div className="form-error">{j.error}</div> : null}
                {j.progress.failed > 0 && j.status !== 'running' && j.status !== 'queued' ? (
                  <JobFailures jobId={j.id} failed={j.progress.failed} />
                ) : null}
              </td>
              <td>
                {j.status === 'running' || j.status === 'queued' ? (
                  <ProgressBar done={j.progress.done} total={j.progress.total} />
                ) : (
                  `${j.progress.done.toLocaleString()} done${j.progress.failed ? `, ${j.progress.failed} failed` : ''}`
                )}
              </td>
              <td>{j.startedAt ? formatDateTime(j.startedAt) : '—'}</td>
              <td>
                {perm.known && perm.canEdit && (j.status === 'failed' || j.progress.failed > 0) ? (
                  <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(j.id)}>
                    Retry
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreButton list={list} />
    </div>
  );
}
