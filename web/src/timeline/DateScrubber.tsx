import { useRef } from 'react';
import { formatMonth } from '../ui/format';

interface Props {
  /** Every month of the timeline, newest first, with its card count. */
  months: { month: string; cards: number }[];
  /** Index of the month at the top of the viewport. */
  current: number;
  onJump: (monthIndex: number) => void;
}

/**
 * The date scrubber on the right edge: one mark per month of the whole library, sized by its
 * photo count; click or drag to jump to any month (loaded or not), or use the keyboard (↑/↓ a
 * month, PageUp/PageDown a year, Home/End). Years are labelled; the month shows in a tooltip.
 */
export function DateScrubber({ months, current, onJump }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const total = months.reduce((s, m) => s + m.cards, 0) || 1;
  const jumpAt = (clientY: number) => {
    const el = ref.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientY - rect.top) / rect.height));
    let acc = 0;
    for (let i = 0; i < months.length; i++) {
      acc += (months[i]?.cards ?? 0) / total;
      if (f <= acc) {
        onJump(i);
        return;
      }
    }
    onJump(months.length - 1);
  };
  const keyTarget = (key: string): number | null => {
    switch (key) {
      case 'ArrowDown':
        return current + 1;
      case 'ArrowUp':
        return current - 1;
      case 'PageDown':
        return current + 12;
      case 'PageUp':
        return current - 12;
      case 'Home':
        return 0;
      case 'End':
        return months.length - 1;
      default:
        return null;
    }
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
        const next = keyTarget(e.key);
        if (next === null) return;
        e.preventDefault();
        onJump(Math.min(months.length - 1, Math.max(0, next)));
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
            style={{ flexGrow: m.cards }}
            title={formatMonth(m.month)}
            data-month={m.month}
          >
            {label ? <span className="scrub-year">{label}</span> : null}
          </div>
        );
      })}
    </div>
  );
}
