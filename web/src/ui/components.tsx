import { useEffect, useRef, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { percent } from './format';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </header>
  );
}

/** What to do next when a list is empty. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <h2>{title}</h2>
      <div>{children}</div>
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden /> Loading {what}…
    </div>
  );
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label?: string }) {
  const p = percent(done, total);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={p}
      aria-label={label}
    >
      <div
        className="progress-fill"
        style={{ width: total > 0 ? `${p}%` : '30%' }}
        data-indeterminate={total <= 0}
      />
      <span className="progress-text">
        {label ? `${label}: ` : ''}
        {total > 0 ? `${done.toLocaleString()} / ${total.toLocaleString()} (${p}%)` : 'starting…'}
      </span>
    </div>
  );
}

export function ConfidenceBadge({ confidence }: { confidence: string }) {
  const text: Record<string, string> = {
    green: 'safe to auto-fix',
    yellow: 'quick review',
    orange: 'manual review',
  };
  return <span className={`badge badge-${confidence}`}>{text[confidence] ?? confidence}</span>;
}

export function Thumb({ src, alt, className }: { src: string | null; alt: string; className?: string }) {
  if (!src) return <div className={`thumb thumb-missing ${className ?? ''}`}>no preview</div>;
  return (
    <img
      className={`thumb ${className ?? ''}`}
      src={src}
      alt={alt}
      loading="lazy"
      decoding="async"
      draggable={false}
    />
  );
}

/** A modal confirmation: says exactly what will happen; Escape cancels, focus starts on Cancel. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [props]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">
          <button type="button" ref={cancelRef} onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={props.danger ? 'danger' : 'primary'}
            disabled={props.busy}
            onClick={props.onConfirm}
          >
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** "Load more" under a cursor list (useCursorList) while it has another page. */
export function MoreButton({
  list,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}) {
  if (!list.hasNextPage) return null;
  return (
    <button
      type="button"
      className="more"
      disabled={list.isFetchingNextPage}
      onClick={() => void list.fetchNextPage()}
    >
      {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
    </button>
  );
}

/** Loading, error (with retry) and empty states of a list, in one place for every view. */
export function ListStatus(props: {
  list: { isPending: boolean; error: unknown; items: readonly unknown[]; refetch: () => unknown };
  what: string;
  emptyTitle: string;
  children: ReactNode;
}) {
  const { list } = props;
  if (list.isPending) return <Loading what={props.what} />;
  if (list.error) return <ErrorBox error={list.error} onRetry={() => void list.refetch()} />;
  if (list.items.length === 0) return <EmptyState title={props.emptyTitle}>{props.children}</EmptyState>;
  return null;
}
