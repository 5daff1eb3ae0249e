import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ReadOnlyNote, usePermissions } from '../auth/permissions';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { JobProgress } from '../jobs/JobProgress';
import { ConfirmDialog, ErrorBox, MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { formatBytes, formatDateTime } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';

export default function TrashPage() {
  const client = useQueryClient();
  const list = useCursorList(['trash'], (cursor) => api.trash.list({ cursor, limit: 100 }));
  const [restored, setRestored] = useState<string | null>(null);
  const [purging, setPurging] = useState(false);
  const [purgeJob, setPurgeJob] = useState<string | null>(null);
  const restore = useMutation({
    mutationFn: (id: string) => api.trash.restore(id),
    onSuccess: (r) => {
      setRestored(r.restoredPath);
      void client.invalidateQueries({ queryKey: ['trash'] });
      void client.invalidateQueries({ queryKey: ['assets'] });
    },
  });
  const purge = useMutation({
    mutationFn: () => api.trash.purge(),
    onSuccess: (r) => {
      setPurgeJob(r.jobId);
      setPurging(false);
    },
  });
  const perm = usePermissions();
  const total = list.items.reduce((s, t) => s + t.sizeBytes, 0);

  return (
    <div>
      <PageHeader title="Trash">
        <span className="muted">{formatBytes(total)} in trash</span>
        {perm.known && perm.canPurge ? (
          <button
            type="button"
            className="danger"
            disabled={list.items.length === 0}
            onClick={() => setPurging(true)}
          >
            Empty trash
          </button>
        ) : null}
      </PageHeader>
      {perm.known && !perm.canEdit ? <ReadOnlyNote what="not restore or empty the trash" /> : null}
      {purgeJob ? <JobProgress jobId={purgeJob} doneText="Trash emptied" /> : null}
      {restored ? (
        <p className="ok-box" role="status">
          Restored to {restored}
        </p>
      ) : null}
      {restore.error ? <ErrorBox error={restore.error} /> : null}
      <ListStatus list={list} what="trash" emptyTitle="Trash is empty">
        <p>Files you remove while reviewing land here and can be restored until the trash is purged.</p>
      </ListStatus>
      <ul className="trash-list">
        {list.items.map((t) => (
          <li key={t.id} className="trash-row" data-trash={t.id}>
            <Thumb src={t.thumbnailUrl} alt="" />
            <div>
              <div className="path">{t.originalPath}</div>
              <div className="muted">
                {formatBytes(t.sizeBytes)} · removed {formatDateTime(t.trashedAt)}
              </div>
            </div>
            {perm.known && perm.canEdit ? (
              <button type="button" disabled={restore.isPending} onClick={() => restore.mutate(t.id)}>
                Restore
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <MoreButton list={list} />
      {purging ? (
        <ConfirmDialog
          title="Empty the trash?"
          danger
          confirmLabel="Delete permanently"
          busy={purge.isPending}
          onCancel={() => setPurging(false)}
          onConfirm={() => purge.mutate()}
        >
          <p>
            Every file in the trash ({formatBytes(total)}) is deleted from disk for good. This cannot be
            undone. Files not purged stay restorable.
          </p>
          {purge.error ? <p className="form-error">{errorMessage(purge.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
