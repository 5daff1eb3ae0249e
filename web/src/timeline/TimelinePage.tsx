import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { EmptyState, ErrorBox, Loading, PageHeader } from '../ui/components';
import { formatDay, plural } from '../ui/format';
import { DateScrubber } from './DateScrubber';
import { Viewer } from './Viewer';
import { columnsFor, groupBadge, layoutTimeline, type Card } from './timeline-layout';
import { useTimelineAssets, type TimelineAsset } from './use-timeline-assets';

const MIN_CARD = 160;
const GAP = 4;
const HEADER_HEIGHT = 44;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

function TimelineCard({
  card,
  size,
  onOpen,
}: {
  card: Card<TimelineAsset>;
  size: number;
  onOpen: () => void;
}) {
  const a = card.item;
  const badge = groupBadge(card.members.length, a.groupKind === 'burst' ? 'burst' : 'versions');
  return (
    <button
      type="button"
      className="tl-card"
      style={{ width: size, height: size }}
      onClick={onOpen}
      aria-label={`${a.path.split('/').pop() ?? a.path}${badge ? `, ${badge}` : ''}`}
    >
      {a.thumbnailUrl ? (
        <img src={a.thumbnailUrl} alt="" loading="lazy" decoding="async" draggable={false} />
      ) : (
        <span className="thumb-missing">{a.kind}</span>
      )}
      {badge ? <span className="card-badge">{badge}</span> : null}
      {a.kind === 'video' ? <span className="card-kind">▶</span> : null}
    </button>
  );
}

export default function TimelinePage() {
  const { query, items, stacks } = useTimelineAssets();
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useWidth(scrollRef);
  // Smaller cards on a phone, so a row still holds three.
  const minCard = width < 600 ? 96 : MIN_CARD;
  const usable = Math.max(width, 120);
  const columns = columnsFor(usable, minCard, GAP);
  const cardSize = Math.floor((usable - GAP * (columns - 1)) / columns);
  const layout = useMemo(() => layoutTimeline(items, columns), [items, columns]);
  const cards = useMemo(() => layout.rows.flatMap((r) => (r.kind === 'cards' ? r.cards : [])), [layout]);
  const [open, setOpen] = useState<number | null>(null);

  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (layout.rows[i]?.kind === 'header' ? HEADER_HEIGHT : cardSize + GAP),
    overscan: 4,
    getItemKey: (i) => layout.rows[i]?.key ?? i,
  });
  useEffect(() => virtualizer.measure(), [cardSize, virtualizer]);

  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastVisible >= layout.rows.length - 8 && query.hasNextPage && !query.isFetchingNextPage)
      void query.fetchNextPage();
  }, [lastVisible, layout.rows.length, query]);

  const cardIndex = useMemo(() => new Map(cards.map((c, i) => [c.item.id, i])), [cards]);

  return (
    <div className="timeline-page">
      <PageHeader title="Photos">
        <span className="muted">
          {plural(items.length, 'item')}
          {query.hasNextPage ? ' loaded so far' : ''}
        </span>
      </PageHeader>
      {query.error ? <ErrorBox error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? <Loading what="photos" /> : null}
      {!query.isPending && items.length === 0 && !query.error ? (
        <EmptyState title="No photos yet">
          <p>
            Add a folder in <Link href="/libraries">Libraries</Link>; photo-sync scans it and your photos
            appear here, newest first.
          </p>
        </EmptyState>
      ) : null}
      <div className="timeline-body">
        <div ref={scrollRef} className="timeline-scroll" data-testid="timeline-scroll" tabIndex={0}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualRows.map((vr) => {
              const row = layout.rows[vr.index];
              if (!row) return null;
              return (
                <div
                  key={vr.key}
                  className={row.kind === 'header' ? 'tl-header' : 'tl-row'}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    transform: `translateY(${vr.start}px)`,
                    height: vr.size,
                  }}
                >
                  {row.kind === 'header' ? (
                    <h2>
                      {formatDay(row.day)} <span className="muted">{row.count}</span>
                    </h2>
                  ) : (
                    row.cards.map((c) => (
                      <TimelineCard
                        key={c.item.id}
                        card={c}
                        size={cardSize}
                        onOpen={() => setOpen(cardIndex.get(c.item.id) ?? null)}
                      />
                    ))
                  )}
                </div>
              );
            })}
          </div>
          {query.isFetchingNextPage ? <Loading what="older photos" /> : null}
        </div>
        {layout.months.length > 1 ? (
          <DateScrubber
            months={layout.months}
            currentRow={virtualRows[0]?.index ?? 0}
            hasMore={query.hasNextPage}
            onJump={(rowIndex) => virtualizer.scrollToIndex(rowIndex, { align: 'start' })}
            onLoadMore={() => void query.fetchNextPage()}
          />
        ) : null}
      </div>
      {open !== null && cards[open] ? (
        <Viewer cards={cards} index={open} stacks={stacks} onIndex={setOpen} onClose={() => setOpen(null)} />
      ) : null}
    </div>
  );
}
