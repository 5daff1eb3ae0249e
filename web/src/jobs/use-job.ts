import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Job } from '../api/types';

export const isFinished = (j: Pick<Job, 'status'> | undefined): boolean =>
  j !== undefined && j.status !== 'queued' && j.status !== 'running';

/**
 * A job's live state: Server-Sent Events update the cached job as progress arrives (see
 * api/events.ts); a slow poll covers a stream that is down or a proxy that buffers it.
 */
export function useJob(jobId: string | null) {
  return useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api.jobs.get(jobId ?? ''),
    enabled: jobId !== null,
    refetchInterval: (q) => (isFinished(q.state.data) ? false : 1000),
  });
}
