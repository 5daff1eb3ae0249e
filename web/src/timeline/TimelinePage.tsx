import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Link } from 'wouter';
import { EmptyState, ErrorBox, Loading, PageHeader } from '../ui/components';
import { formatDay, formatMonth, plural } from '../ui/format';
import {
  anchoredScrollTop,
  layoutBuckets,
  monthIndexAt,
  rowHeight,
  unloadedMonthsIn,
  type BucketLayout,
} from './bucket-layout';
import { DateScrubber } from './DateScrubber';
import { TimelineFilterBar, useTimelineFilter } from '../explore/TimelineFilterBar';
import { Viewer } from './Viewer';
import { timelinePlace } from './viewer-place';
import { columnsFor, groupBadge, type Card } from './timeline-layout';
import { thumbnailOf, useTimelineAssets, type TimelineAsset } from './use-timeline-assets';

const MIN_CARD = 160;
const GAP = 4;
const HEADER_HEIGHT = 44;
/** Months near the viewport are fetched once the scroll rests this long… */
const LOAD_SETTLE_MS = 80;
/** …or at the latest this long after it started moving. */
const LOAD_MAX_WAIT_MS = 400;

function useSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
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
  const thumbnail = thumbnailOf(a);
  return (
    <button
      type="button"
      className="tl-card"
      style={{ width: size, height: size }}
      onClick={onOpen}
      aria-label={`${a.fileName}${badge ? `, ${badge}` : ''}`}
    >
      {thumbnail ? (
        <img src={thumbnail} alt="" loading="lazy" decoding="async" draggable={false} />
      ) : (
        <span className="thumb-missing">{a.kind}</span>
      )}
      {badge ? <span className="card-badge">{badge}</span> : null}
      {a.kind === 'video' ? <span className="card-kind">▶</span> : null}
    </button>
  );
}

export default function TimelinePage() {
  const filter = useTimelineFilter();
  const filtered = Object.keys(filter).length > 0;
  const { buckets, totalAssets, list, loaded, incomplete, want, stacks, monthError, loadingMonths } =
    useTimelineAssets(filter);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width, height: viewportHeight } = useSize(scrollRef);
  // Smaller cards on a phone, so a row still holds three.
  const minCard = width < 600 ? 96 : MIN_CARD;
  const usable = Math.max(width, 120);
  const columns = columnsFor(usable, minCard, GAP);
  const cardSize = Math.floor((usable - GAP * (columns - 1)) / columns);
  const metrics = useMemo(() => ({ headerHeight: HEADER_HEIGHT, cardRowHeight: cardSize + GAP }), [cardSize]);
  const layout = useMemo(
    () => layoutBuckets<TimelineAsset>(list, loaded, columns, metrics, incomplete),
    [list, loaded, columns, metrics, incomplete],
  );
  const [openId, setOpenId] = useState<string | null>(null);

  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => {
      const row = layout.rows[i];
      return row ? rowHeight(row, metrics) : 0;
    },
    overscan: 4,
    getItemKey: (i) => layout.rows[i]?.key ?? i,
  });

  // Heights are exact (computed, never measured): re-read them whenever the layout changes, and
  // keep the month under the eye in place when months above it load or change.
  const previous = useRef<BucketLayout<TimelineAsset> | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const before = previous.current;
    previous.current = layout;
    virtualizer.measure();
    if (!el || !before || before === layout) return;
    const target = anchoredScrollTop(before, layout, el.scrollTop);
    if (Math.abs(target - el.scrollTop) >= 1) el.scrollTop = target;
  }, [layout, virtualizer]);

  const scrollTop = virtualizer.scrollOffset ?? 0;
  // Fetch the months in and around the viewport (one screen above and below) once the scroll
  // settles, so a flick or a scrubber drag does not fetch every month it passes; a long scroll
  // still loads at least every LOAD_MAX_WAIT_MS.
  const pendingSince = useRef<number | null>(null);
  const lastLoadedAt = useRef(0);
  useEffect(() => {
    const load = () => {
      pendingSince.current = null;
      const screen = Math.max(viewportHeight, 400);
      // Ahead in the direction of travel: after a jump or scrolling down, the viewport and the
      // screens below it (not the end of the month above); scrolling up, the screen above too.
      const up = scrollTop < lastLoadedAt.current;
      lastLoadedAt.current = scrollTop;
      const months = unloadedMonthsIn(
        layout.months,
        up ? scrollTop - screen : scrollTop,
        scrollTop + 2 * screen,
      );
      if (months.length > 0) want(months);
    };
    const now = Date.now();
    pendingSince.current ??= now;
    // The first screen never waits.
    const wait =
      loaded.size === 0 ? 0 : Math.min(LOAD_SETTLE_MS, LOAD_MAX_WAIT_MS - (now - pendingSince.current));
    if (wait <= 0) {
      load();
      return;
    }
    const timer = setTimeout(load, wait);
    return () => clearTimeout(timer);
  }, [scrollTop, viewportHeight, layout.months, want, loaded.size]);

  const currentMonth = monthIndexAt(layout.months, scrollTop + 1);
  // Every member of a card finds it: after "Set as primary" another member leads the card, and the
  // viewer stays on it.
  const cardIndex = useMemo(() => {
    const byId = new Map<string, number>();
    layout.cards.forEach((c, i) => {
      for (const m of c.members) byId.set(m.id, i);
    });
    return byId;
  }, [layout.cards]);
  const placeOf = useMemo(() => timelinePlace(list, layout.cards), [list, layout.cards]);
  const foundIndex = openId === null ? undefined : cardIndex.get(openId);
  // When the shown photo leaves the grid (moved to Trash, the month reloaded), the viewer stays
  // open on the card now at its place instead of closing.
  const lastIndex = useRef<number | null>(null);
  useEffect(() => {
    if (foundIndex !== undefined) lastIndex.current = foundIndex;
    else if (openId === null) lastIndex.current = null;
  }, [foundIndex, openId]);
  const openIndex =
    foundIndex ??
    (openId !== null && lastIndex.current !== null && layout.cards.length > 0
      ? Math.min(lastIndex.current, layout.cards.length - 1)
      : undefined);

  // The viewer steps across months: load the months either side of the one it shows.
  useEffect(() => {
    if (openIndex === undefined) return;
    const month = layout.cards[openIndex]?.item.day.slice(0, 7);
    const i = layout.months.findIndex((m) => m.month === month);
    const around = [layout.months[i - 1], layout.months[i + 1]].filter((m) => m && !m.loaded);
    if (around.length > 0) want(around.map((m) => m?.month ?? ''));
  }, [openIndex, layout, want]);

  const virtualRows = virtualizer.getVirtualItems();
  const placeholderStyle = { '--card': `${cardSize}px`, '--cell': `${cardSize + GAP}px` } as CSSProperties;

  return (
    <div className="timeline-page">
      <PageHeader title="Photos">
        <span className="muted">
          {totalAssets === null ? '' : plural(totalAssets, 'item')}
          {loadingMonths > 0 ? ' · loading…' : ''}
        </span>
      </PageHeader>
      <TimelineFilterBar filter={filter} />
      {buckets.error ? <ErrorBox error={buckets.error} onRetry={() => void buckets.refetch()} /> : null}
      {monthError ? <ErrorBox error={monthError} /> : null}
      {buckets.isPending && list.length === 0 ? <Loading what="photos" /> : null}
      {filtered && !buckets.isPending && list.length === 0 && !buckets.error ? (
        <EmptyState title="No photos match these filters">
          <p>Change or clear the filters above.</p>
        </EmptyState>
      ) : null}
      {!filtered && !buckets.isPending && list.length === 0 && !buckets.error ? (
        <EmptyState title="No photos yet">
          <p>
            Add a folder in <Link href="/libraries">Libraries</Link>; photo-sync scans it and your photos
            appear here, newest first.
          </p>
        </EmptyState>
      ) : null}
      <div className="timeline-body">
        <div ref={scrollRef} className="timeline-scroll" data-testid="timeline-scroll" tabIndex={0}>
          <div style={{ height: layout.totalHeight, position: 'relative' }}>
            {virtualRows.map((vr) => {
              const row = layout.rows[vr.index];
              if (!row) return null;
              const place: CSSProperties = {
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                transform: `translateY(${layout.rowTops[vr.index] ?? vr.start}px)`,
                height: rowHeight(row, metrics),
              };
              if (row.kind === 'placeholder')
                return (
                  <div
                    key={vr.key}
                    className="tl-placeholder"
                    style={{ ...place, ...placeholderStyle }}
                    data-month={row.month}
                    aria-label={`${formatMonth(row.month)}: ${plural(row.cards, 'photo')}, loading`}
                  />
                );
              return (
                <div key={vr.key} className={row.kind === 'header' ? 'tl-header' : 'tl-row'} style={place}>
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
                        onOpen={() => setOpenId(c.item.id)}
                      />
                    ))
                  )}
                </div>
              );
            })}
          </div>
        </div>
        {layout.months.length > 1 ? (
          <DateScrubber
            months={layout.months}
            current={currentMonth}
            onJump={(i) => {
              const target = layout.months[i];
              const el = scrollRef.current;
              if (target && el) el.scrollTop = target.top;
            }}
          />
        ) : null}
      </div>
      {openIndex !== undefined ? (
        <Viewer
          cards={layout.cards}
          index={openIndex}
          position={placeOf(openIndex)}
          total={list.reduce((n, b) => n + b.cards, 0)}
          stacks={stacks}
          onIndex={(i) => setOpenId(layout.cards[i]?.item.id ?? null)}
          onClose={() => setOpenId(null)}
        />
      ) : null}
    </div>
  );
}
