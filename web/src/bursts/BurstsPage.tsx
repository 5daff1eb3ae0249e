import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { ReadOnlyNote, usePermissions } from '../auth/permissions';
import type { Burst, Page } from '../api/types';
import { ConfirmDialog, MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { formatBytes, plural } from '../ui/format';
import { PreviewImage } from '../ui/PreviewImage';
import { useCursorList } from '../ui/use-cursor-list';
import { useViewerKeys, ViewerStep } from '../ui/viewer-navigation';
import './bursts.css';

type Frame = Burst['frames'][number];
type Decision = { action: 'keep-best' } | { action: 'keep-all' } | { action: 'pick'; keepAssetIds: string[] };

const nameOf = (f: Frame) => f.asset.path.split(/[\\/]/).pop() ?? f.asset.path;
/** The recommendation score (0..1: sharpness against the burst's sharpest frame, and exposure) as 0-100. */
const scoreOf = (f: Frame) => Math.round(f.score * 100);

/** One frame large, ←/→ through the burst, Space ticks it to keep, Esc closes. */
function FrameLightbox({
  frames,
  index,
  kept,
  onIndex,
  onToggle,
  onClose,
}: {
  frames: Frame[];
  index: number;
  kept: ReadonlySet<string>;
  onIndex: (i: number) => void;
  /** Null for a read-only viewer: no frame to tick, nothing to decide. */
  onToggle: ((id: string) => void) | null;
  onClose: () => void;
}) {
  const f = frames[index];
  const onSpace = useCallback(
    (e: KeyboardEvent) => {
      if (e.key === ' ' && f && onToggle) {
        e.preventDefault();
        onToggle(f.asset.id);
      }
    },
    [f, onToggle],
  );
  useViewerKeys({ index, count: frames.length, onIndex, onClose, onOtherKey: onSpace });
  if (!f) return null;
  return (
    <div className="viewer burst-lightbox" role="dialog" aria-modal="true" aria-label="Burst frame">
      <div className="viewer-bar">
        <button type="button" onClick={onClose} aria-label="Close frame">
          ✕
        </button>
        <span className="muted">
          Frame {index + 1} / {frames.length} · {nameOf(f)} · score {scoreOf(f)}
          {f.recommended ? ' · best' : ''}
        </span>
        {onToggle ? (
          <label className="check keep-check">
            <input type="checkbox" checked={kept.has(f.asset.id)} onChange={() => onToggle(f.asset.id)} />{' '}
            Keep this frame
          </label>
        ) : null}
      </div>
      <div className="viewer-main">
        <ViewerStep step={-1} index={index} count={frames.length} onIndex={onIndex} label="Previous frame" />
        <div className="viewer-image">
          <PreviewImage
            key={f.asset.id}
            assetId={f.asset.id}
            thumbnailUrl={f.asset.thumbnailUrl}
            alt={nameOf(f)}
          />
        </div>
        <ViewerStep step={1} index={index} count={frames.length} onIndex={onIndex} label="Next frame" />
      </div>
    </div>
  );
}

function BurstStrip({ burst, canEdit }: { burst: Burst; canEdit: boolean }) {
  const client = useQueryClient();
  const [kept, setKept] = useState<ReadonlySet<string>>(() => new Set([burst.recommendedAssetId]));
  const [open, setOpen] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<Decision | null>(null);
  const decide = useMutation({
    mutationFn: (d: Decision) => api.bursts.decide(burst.id, d),
    onSuccess: () => {
      setConfirm(null);
      // A decided burst leaves the list at once (the next fetch agrees: only open bursts are listed).
      client.setQueryData<InfiniteData<Page<Burst>>>(['bursts', 'open'], (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({ ...p, items: p.items.filter((b) => b.id !== burst.id) })),
            }
          : data,
      );
      void client.invalidateQueries({ queryKey: ['bursts'] });
      void client.invalidateQueries({ queryKey: ['assets'] });
      void client.invalidateQueries({ queryKey: ['triage'] });
    },
  });
  const toggle = (id: string) =>
    setKept((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const frames = burst.frames;
  const best = frames.find((f) => f.recommended);
  const removeBytes = (keep: ReadonlySet<string>) =>
    frames.filter((f) => !keep.has(f.asset.id)).reduce((n, f) => n + f.asset.sizeBytes, 0);
  const pickedOnlyBest = kept.size === 1 && kept.has(burst.recommendedAssetId);
  return (
    <section className="card burst" data-burst={burst.id}>
      <div className="burst-strip" role="list">
        {frames.map((f, i) => (
          <div
            role="listitem"
            key={f.asset.id}
            className={`burst-frame ${f.recommended ? 'recommended' : ''} ${kept.has(f.asset.id) ? 'kept' : ''}`}
            data-score={scoreOf(f)}
          >
            <button
              type="button"
              className="frame-open"
              onClick={() => setOpen(i)}
              aria-label={`Enlarge frame ${i + 1} (${nameOf(f)})`}
            >
              <Thumb src={f.asset.thumbnailUrl} alt="" />
            </button>
            {f.recommended ? <span className="card-badge">best</span> : null}
            <span className="frame-score" title="Sharpness against the burst's sharpest frame, and exposure">
              {scoreOf(f)}
            </span>
            {canEdit ? (
              <label className="frame-keep">
                <input
                  type="checkbox"
                  checked={kept.has(f.asset.id)}
                  onChange={() => toggle(f.asset.id)}
                  aria-label={`Keep frame ${i + 1}`}
                />
              </label>
            ) : null}
          </div>
        ))}
      </div>
      <div className="row-actions">
        <span className="muted">
          {plural(frames.length, 'frame')}
          {canEdit ? ` · ${kept.size} to keep` : ''}
        </span>
        {canEdit ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={decide.isPending}
              onClick={() => setConfirm({ action: 'keep-best' })}
            >
              Keep best, remove {frames.length - 1}
            </button>
            {!pickedOnlyBest && kept.size > 0 && kept.size < frames.length ? (
              <button
                type="button"
                disabled={decide.isPending}
                onClick={() => setConfirm({ action: 'pick', keepAssetIds: [...kept] })}
              >
                Keep {kept.size} selected, remove {frames.length - kept.size}
              </button>
            ) : null}
            <button
              type="button"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ action: 'keep-all' })}
            >
              Keep all
            </button>
            {decide.error && !confirm ? (
              <span className="form-error">{errorMessage(decide.error)}</span>
            ) : null}
          </>
        ) : null}
      </div>
      {open !== null ? (
        <FrameLightbox
          frames={frames}
          index={open}
          kept={kept}
          onIndex={setOpen}
          onToggle={canEdit ? toggle : null}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {confirm ? (
        <ConfirmDialog
          title={
            confirm.action === 'keep-best'
              ? `Keep the best frame and move ${plural(frames.length - 1, 'other')} to the Trash?`
              : `Keep ${plural(kept.size, 'frame')} and move ${frames.length - kept.size} to the Trash?`
          }
          confirmLabel="Move to Trash"
          danger
          busy={decide.isPending}
          onConfirm={() => decide.mutate(confirm)}
          onCancel={() => setConfirm(null)}
        >
          <p>
            {confirm.action === 'keep-best' && best ? `Kept: ${nameOf(best)} (score ${scoreOf(best)}). ` : ''}
            {formatBytes(
              removeBytes(confirm.action === 'keep-best' ? new Set([burst.recommendedAssetId]) : kept),
            )}{' '}
            go to the Trash, where they can be restored (a read-only library gets a move list instead).
          </p>
          {decide.error ? <p className="form-error">{errorMessage(decide.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

export default function BurstsPage() {
  const perm = usePermissions();
  const canEdit = perm.known && perm.canEdit;
  const list = useCursorList(['bursts', 'open'], (cursor) =>
    api.bursts.list({ cursor, limit: 50, status: 'open' }),
  );
  return (
    <div>
      <PageHeader title="Bursts" />
      <p className="muted">
        Click a frame to see it large; tick the frames to keep. The score (0–100) is the frame’s sharpness
        against the burst’s sharpest, and its exposure.
      </p>
      {perm.known && !perm.canEdit ? <ReadOnlyNote what="not decide bursts" /> : null}
      <ListStatus list={list} what="bursts" emptyTitle="No bursts to review">
        <p>Bursts are rapid series of shots; they appear here after a scan finds them.</p>
      </ListStatus>
      {list.items.map((b) => (
        <BurstStrip key={b.id} burst={b} canEdit={canEdit} />
      ))}
      <MoreButton list={list} />
    </div>
  );
}
