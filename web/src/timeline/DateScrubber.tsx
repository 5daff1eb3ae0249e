import { useRef } from 'react';
import { formatMonth } from '../ui/format';

interface Props {
  months: { month: string; rowIndex: number; count: number }[];
  currentRow: number;
  hasMore: boolean;
  onJump: (rowIndex: number) => void;
  onLoadMore: () => void;
}

/**
 * The date scrubber on the right edge: one mark per month, sized by its photo count; click or
 * drag to jump. Years are labelled; the month under the pointer shows in a tooltip.
 */
export function DateScrubber({ months, currentRow, hasMore, onJump, onLoadMore }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const total = months.reduce((s, m) => s + m.count, 0) || 1;
  let current = 0;
  months.forEach((m, i) => {
    if (m.rowIndex <= currentRow) current = i;
  });
  const jumpAt = (clientY: number) => {
    const el = ref.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientY - rect.top) / rect.height));
    let acc = 0;
    for (const m of months) {
      acc += m.count / total;
      if (f <= acc) {
        onJump(m.rowIndex);
        return;
      }
    }
    if (hasMore) onLoadMore();
  };
  let lastYear = '';
  return (
    <div
      ref={ref}
      className="scrubber"
      role="slider"
      aria-label="Jump to date"
      aria-valuemin={0}
      aria-valuemax={months.length - 1}
      aria-valuenow={current}
      aria-valuetext={formatMonth(months[current]?.month ?? '')}
      tabIndex={0}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        jumpAt(e.clientY);
      }}
      onPointerMove={(e) => {
        if (e.buttons === 1) jumpAt(e.clientY);
      }}
      onKeyDown={(e) => {
        const next = e.key === 'ArrowDown' ? current + 1 : e.key === 'ArrowUp' ? current - 1 : null;
        const target = next === null ? undefined : months[next];
        if (target) {
          e.preventDefault();
          onJump(target.rowIndex);
        }
      }}
    >
      {months.map((m, i) => {
        const year = m.month.slice(0, 4);
        const label = year !== lastYear ? year : null;
        lastYear = year;
        return (
          <div
            key={m.month}
            className={`scrub-month ${i === current ? 'current' : ''}`}
            style={{ flexGrow: m.count }}
            title={formatMonth(m.month)}
          >
            {label ? <span className="scrub-year">{label}</span> : null}
          </div>
        );
      })}
      {hasMore ? <div className="scrub-more" title="Older photos are loading as you scroll" /> : null}
    </div>
  );
}
