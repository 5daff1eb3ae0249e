import { useRef, type PointerEvent, type WheelEvent } from 'react';
import type { DuplicateMember } from '../api/types';
import { PreviewImage } from '../ui/PreviewImage';
import { panBy, zoomAt, zoomTransform, type ZoomState } from './sync-zoom';

interface Props {
  members: DuplicateMember[];
  keep: ReadonlySet<string>;
  focus: number;
  zoom: ZoomState;
  onZoom: (z: ZoomState) => void;
  onToggle: (assetId: string) => void;
}

/** Side-by-side panes sharing one zoom/pan: wheel zooms at the pointer, drag pans every pane. */
export function CompareImages({ members, keep, focus, zoom, onZoom, onToggle }: Props) {
  const drag = useRef<{ x: number; y: number } | null>(null);
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    onZoom(
      zoomAt(
        zoom,
        e.deltaY < 0 ? 1.25 : 0.8,
        (e.clientX - r.left) / r.width - 0.5,
        (e.clientY - r.top) / r.height - 0.5,
      ),
    );
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const r = e.currentTarget.getBoundingClientRect();
    onZoom(panBy(zoom, (e.clientX - drag.current.x) / r.width, (e.clientY - drag.current.y) / r.height));
    drag.current = { x: e.clientX, y: e.clientY };
  };
  return (
    <div
      className="compare-panes"
      style={{ gridTemplateColumns: `repeat(${Math.min(members.length, 4)}, minmax(0, 1fr))` }}
    >
      {members.map((m, i) => {
        const kept = keep.has(m.asset.id);
        return (
          <figure
            key={m.asset.id}
            className={`pane ${kept ? 'kept' : 'removing'} ${i === focus ? 'focused' : ''}`}
            data-asset={m.asset.id}
            data-keep={kept}
          >
            <div
              className="pane-image"
              onWheel={onWheel}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={() => (drag.current = null)}
            >
              <PreviewImage
                key={m.asset.id}
                assetId={m.asset.id}
                thumbnailUrl={m.asset.thumbnailUrl}
                alt={m.asset.path}
                draggable={false}
                style={{ transform: zoomTransform(zoom) }}
              />
            </div>
            <figcaption>
              <button
                type="button"
                className={kept ? 'primary' : ''}
                aria-pressed={kept}
                onClick={() => onToggle(m.asset.id)}
              >
                {i + 1}. {kept ? 'Keep' : 'Remove'}
              </button>
              {m.isKeeper ? (
                <span className="badge badge-green" title={m.keeperReason ?? ''}>
                  recommended
                </span>
              ) : null}
              <span className="muted">{Math.round(m.similarity * 100)}%</span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
