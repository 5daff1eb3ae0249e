import { useEffect } from 'react';

interface Stepper {
  /** The item shown, of `count`. */
  index: number;
  count: number;
  onIndex: (i: number) => void;
}

/**
 * The keys of a full-screen viewer: ←/→ step through the items, Esc closes, and `onOtherKey` gets
 * any other key (the photo viewer's `i`, a burst frame's Space); keep it stable (useCallback).
 */
export function useViewerKeys({
  index,
  count,
  onIndex,
  onClose,
  onOtherKey,
}: Stepper & { onClose: () => void; onOtherKey?: (e: KeyboardEvent) => void }): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowRight' && index < count - 1) onIndex(index + 1);
      else if (e.key === 'ArrowLeft' && index > 0) onIndex(index - 1);
      else onOtherKey?.(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, count, onIndex, onClose, onOtherKey]);
}

/** The ‹ or › button beside a viewer's image, disabled at either end. */
export function ViewerStep({
  step,
  index,
  count,
  onIndex,
  label,
}: Stepper & { step: -1 | 1; label: string }) {
  return (
    <button
      type="button"
      className="viewer-nav"
      disabled={step < 0 ? index === 0 : index >= count - 1}
      onClick={() => onIndex(index + step)}
      aria-label={label}
    >
      {step < 0 ? '‹' : '›'}
    </button>
  );
}
