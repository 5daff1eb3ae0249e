import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ReadOnlyNote, usePermissions } from '../auth/permissions';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, errorMessage } from '../api/client';
import { trackJob } from '../jobs/active-jobs';
import { ConfidenceBadge, ErrorBox, Loading, PageHeader } from '../ui/components';
import { formatBytes } from '../ui/format';
import { CompareImages } from './CompareImages';
import { MetadataDiffTable } from './MetadataDiffTable';
import {
  initialReviewState,
  reviewReducer,
  reviewShortcuts,
  type ReviewCommand,
  type ReviewEvent,
} from './review-state';
import { fitted, zoomStep, type ZoomState } from './sync-zoom';
import { useDuplicateList, useListParams } from './use-duplicate-list';

export default function ComparePage() {
  const perm = usePermissions();
  const { id } = useParams<{ id: string }>();
  const { sort, kind, search } = useListParams();
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const list = useDuplicateList(sort, kind);
  const ids = useMemo(() => list.data?.pages.flatMap((p) => p.items.map((g) => g.id)) ?? [], [list.data]);
  const detail = useQuery({ queryKey: ['duplicates', 'detail', id], queryFn: () => api.duplicates.get(id) });
  const [state, setState] = useState(initialReviewState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [zoom, setZoom] = useState<ZoomState>(fitted);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);

  const groupIndex = ids.indexOf(id);
  const d = detail.data;
  useEffect(() => {
    if (!d) return;
    setState(
      reviewReducer(initialReviewState, {
        type: 'load',
        groupIndex: Math.max(groupIndex, 0),
        groupCount: Math.max(ids.length, 1),
        memberIds: d.members.map((m) => m.asset.id),
        keeperIds: d.members.filter((m) => m.isKeeper).map((m) => m.asset.id),
      }).state,
    );
    setZoom(fitted);
    setError(null);
  }, [d, groupIndex, ids.length]);

  const afterDecision = useCallback(() => {
    void client.invalidateQueries({ queryKey: ['duplicates'] });
    void client.invalidateQueries({ queryKey: ['triage'] });
    const next = ids[groupIndex + 1];
    navigate(next ? `/duplicates/${next}${search ? `?${search}` : ''}` : '/duplicates');
  }, [client, ids, groupIndex, navigate, search]);

  const run = useCallback(
    async (command: ReviewCommand) => {
      if (command.type === 'goto') {
        const target = ids[command.groupIndex];
        if (target) navigate(`/duplicates/${target}${search ? `?${search}` : ''}`);
        return;
      }
      if (command.type === 'zoom') {
        setZoom((z) => zoomStep(z, command.direction));
        return;
      }
      setBusy(true);
      setError(null);
      try {
        if (command.type === 'not-duplicate') await api.duplicates.decide(id, { action: 'not-duplicate' });
        else if (command.type === 'keep-all') await api.duplicates.decide(id, { action: 'dismiss' });
        else {
          await api.duplicates.decide(id, { action: 'keep', keepAssetIds: command.keepAssetIds });
          const { jobId: applied } = await api.duplicates.apply(id, command.keepAssetIds);
          trackJob(applied, 'Removed copies were moved to Trash');
        }
        afterDecision();
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setBusy(false);
      }
    },
    [afterDecision, id, ids, navigate, search],
  );

  const dispatch = useCallback(
    (event: ReviewEvent) => {
      const { state: next, command } = reviewReducer(stateRef.current, event);
      setState(next);
      if (command) void run(command);
    },
    [run],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (busy || t?.closest('input, select, textarea') || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '?') return setShowHelp((s) => !s);
      if (['ArrowUp', 'ArrowDown', ' ', 'Enter'].includes(e.key)) e.preventDefault();
      dispatch({ type: 'key', key: e.key });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch, busy]);

  if (detail.isPending) return <Loading what="group" />;
  if (detail.error || !d) return <ErrorBox error={detail.error} onRetry={() => void detail.refetch()} />;
  const keeperId = d.members.find((m) => state.keep.has(m.asset.id))?.asset.id;
  const removeCount = d.members.length - state.keep.size;
  const removeBytes = d.members
    .filter((m) => !state.keep.has(m.asset.id))
    .reduce((s, m) => s + m.asset.sizeBytes, 0);

  return (
    <div className="compare-page">
      <PageHeader title={`Group ${groupIndex >= 0 ? groupIndex + 1 : '?'} of ${ids.length || '?'}`}>
        <ConfidenceBadge confidence={d.confidence} />
        <span className="muted">
          {d.kind} · {formatBytes(d.bytesReclaimable)} to save
        </span>
        <Link href={`/duplicates${search ? `?${search}` : ''}`}>All groups</Link>
        <button type="button" onClick={() => setShowHelp((s) => !s)} aria-expanded={showHelp}>
          Shortcuts (?)
        </button>
      </PageHeader>
      {showHelp ? (
        <dl className="shortcuts">
          {reviewShortcuts.map((s) => (
            <div key={s.keys}>
              <dt>{s.keys}</dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <CompareImages
        members={d.members}
        keep={state.keep}
        focus={state.focus}
        zoom={zoom}
        onZoom={setZoom}
        onToggle={(assetId) => dispatch({ type: 'toggle', assetId })}
      />
      {perm.known && !perm.canEdit ? <ReadOnlyNote what="not remove copies or decide groups" /> : null}
      {perm.known && perm.canEdit ? (
        <div className="review-actions">
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => dispatch({ type: 'key', key: 'Enter' })}
          >
            {state.confirming
              ? `Confirm: move ${removeCount} cop${removeCount === 1 ? 'y' : 'ies'} (${formatBytes(removeBytes)}) to trash`
              : 'Keep marked, remove others'}
          </button>
          <button type="button" disabled={busy} onClick={() => dispatch({ type: 'key', key: 'a' })}>
            Keep all
          </button>
          <button type="button" disabled={busy} onClick={() => dispatch({ type: 'key', key: 'n' })}>
            Not a duplicate
          </button>
          {state.confirming ? (
            <button type="button" onClick={() => dispatch({ type: 'cancel' })}>
              Cancel
            </button>
          ) : null}
          <span className="muted">zoom {zoom.scale.toFixed(1)}× (wheel, drag, + − 0)</span>
        </div>
      ) : null}
      {state.message ? (
        <p className="hint" role="status">
          {state.message}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <MetadataDiffTable detail={d} keeperId={keeperId} />
    </div>
  );
}
