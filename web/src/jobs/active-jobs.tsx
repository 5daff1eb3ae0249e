import { useSyncExternalStore } from 'react';
import { JobProgress } from './JobProgress';

/**
 * Jobs started from a view the user may leave (a removal while reviewing, then on to the next
 * group): their progress stays visible in the shell until dismissed.
 */
interface Tracked {
  jobId: string;
  doneText: string;
}

let tracked: Tracked[] = [];
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function trackJob(jobId: string, doneText: string): void {
  tracked = [...tracked.filter((t) => t.jobId !== jobId), { jobId, doneText }];
  emit();
}

function dismiss(jobId: string): void {
  tracked = tracked.filter((t) => t.jobId !== jobId);
  emit();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

export function ActiveJobs() {
  const jobs = useSyncExternalStore(subscribe, () => tracked);
  if (jobs.length === 0) return null;
  return (
    <aside className="active-jobs" aria-label="Running jobs">
      {jobs.map((t) => (
        <div key={t.jobId} className="active-job">
          <JobProgress jobId={t.jobId} doneText={t.doneText} />
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(t.jobId)}>
            ✕
          </button>
        </div>
      ))}
    </aside>
  );
}
