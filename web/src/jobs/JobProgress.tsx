import { ErrorBox, ProgressBar } from '../ui/components';
import { isFinished, useJob } from './use-job';

const jobLabels: Record<string, string> = {
  'library.scan': 'Scanning library',
  'library.sync-paths': 'Indexing changed files',
  'duplicates.analyse': 'Finding duplicates',
};

export function jobLabel(type: string): string {
  return jobLabels[type] ?? type.replace(/[.-]/g, ' ');
}

/** Progress of one job, then its outcome (with the error to act on when it failed). */
export function JobProgress({ jobId, doneText }: { jobId: string; doneText?: string }) {
  const job = useJob(jobId);
  if (job.error) return <ErrorBox error={job.error} />;
  const j = job.data;
  if (!j) return <ProgressBar done={0} total={0} label="Queued" />;
  if (!isFinished(j))
    return <ProgressBar done={j.progress.done} total={j.progress.total} label={jobLabel(j.type)} />;
  if (j.status === 'failed')
    return (
      <div className="error-box" role="alert">
        {jobLabel(j.type)} failed: {j.error ?? 'no reason recorded'}. Open Jobs to retry.
      </div>
    );
  return (
    <div className="ok-box" role="status">
      {doneText ?? `${jobLabel(j.type)} finished`}
      {j.progress.failed > 0 ? ` — ${j.progress.failed} item(s) failed, see Jobs` : ''}.
    </div>
  );
}
