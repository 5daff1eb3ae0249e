import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ReadOnlyNote, usePermissions } from '../auth/permissions';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { JobProgress } from '../jobs/JobProgress';
import { ConfirmDialog, MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { plural } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';
import { emptySelection, selectBelow, selectRange, toggleItem, type Selection } from './selection';

export default function QualityPage() {
  const perm = usePermissions();
  const [maxScore, setMaxScore] = useState(40);
  const [threshold, setThreshold] = useState(20);
  const [sel, setSel] = useState<Selection>(emptySelection);
  const [confirming, setConfirming] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const client = useQueryClient();
  const list = useCursorList(['quality', maxScore], (cursor) =>
    api.quality.list({ cursor, limit: 200, maxScore }),
  );
  const ids = list.items.map((i) => i.id);
  const remove = useMutation({
    mutationFn: () =>
      api.actions.remove([...sel.selected].map((assetId) => ({ assetId, reason: 'low-quality' }))),
    onSuccess: (r) => {
      setJobId(r.jobId);
      setConfirming(false);
      setSel(emptySelection);
      void client.invalidateQueries({ queryKey: ['quality'] });
    },
  });

  return (
    <div>
      <PageHeader title="Low quality">
        <label>
          Show score below{' '}
          <input
            type="number"
            min={1}
            max={100}
            value={maxScore}
            onChange={(e) => setMaxScore(Number(e.target.value) || 1)}
          />
        </label>
        <label>
          Select below{' '}
          <input
            type="number"
            min={1}
            max={100}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value) || 1)}
          />
        </label>
        <button
          type="button"
          onClick={() =>
            setSel(
              selectBelow(
                list.items,
                (i) => i.id,
                (i) => i.qualityScore ?? 100,
                threshold,
              ),
            )
          }
        >
          Select
        </button>
        <button type="button" disabled={sel.selected.size === 0} onClick={() => setSel(emptySelection)}>
          Clear
        </button>
        {perm.known && perm.canEdit ? (
          <button
            type="button"
            className="danger"
            disabled={sel.selected.size === 0}
            onClick={() => setConfirming(true)}
          >
            Move {sel.selected.size} to trash
          </button>
        ) : null}
      </PageHeader>
      {perm.known && !perm.canEdit ? <ReadOnlyNote what="not move photos to trash" /> : null}
      {jobId ? <JobProgress jobId={jobId} doneText="Selected photos were moved to Trash" /> : null}
      <ListStatus list={list} what="low-quality photos" emptyTitle="No low-quality photos">
        <p>Nothing scores below {maxScore}. Raise the filter to see more, or scan a library first.</p>
      </ListStatus>
      <p className="hint">Click to select; shift-click selects a range.</p>
      <div className="grid">
        {list.items.map((q) => (
          <button
            type="button"
            key={q.id}
            className={`grid-item ${sel.selected.has(q.id) ? 'selected' : ''}`}
            aria-pressed={sel.selected.has(q.id)}
            onClick={(e) => setSel((s) => (e.shiftKey ? selectRange(s, ids, q.id) : toggleItem(s, q.id)))}
          >
            <Thumb src={q.thumbnailUrl} alt="" />
            <span className="card-badge">{Math.round(q.qualityScore ?? 0)}</span>
            {q.qualityLabels.length ? (
              <span
                className="grid-caption"
                title={q.qualityFlags.map((f) => `${f.label}: ${f.reason}`).join('\n') || undefined}
              >
                {q.qualityLabels.join(', ')}
              </span>
            ) : null}
            {q.qualityFlags.map((f) => (
              <span key={`${f.label}-${f.measure}`} className="grid-caption quality-reason">
                {f.label} — {f.measure} {String(f.value)} (threshold {String(f.threshold)})
              </span>
            ))}
          </button>
        ))}
      </div>
      <MoreButton list={list} />
      {confirming ? (
        <ConfirmDialog
          title="Move to trash?"
          danger
          confirmLabel={`Move ${plural(sel.selected.size, 'photo')} to trash`}
          busy={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => remove.mutate()}
        >
          <p>
            {plural(sel.selected.size, 'photo')} will be moved to the library’s trash. You can restore them
            from Trash until it is purged.
          </p>
          {remove.error ? <p className="form-error">{errorMessage(remove.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
