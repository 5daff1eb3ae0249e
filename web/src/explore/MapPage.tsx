import './explore.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { explore, type Bounds, type MapAsset, type MapCluster } from '../api/explore';
import { PreviewImage } from '../ui/PreviewImage';
import { ErrorBox, PageHeader } from '../ui/components';
import { formatDateTime, plural } from '../ui/format';
import { MediaThumb } from './MediaThumb';

const MAX_ZOOM = 16;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

interface View {
  /** Centre of the view, degrees. */
  lon: number;
  lat: number;
  zoom: number;
}

/** Pixels per degree: the whole world (360°) fits the width at zoom 0. */
const scaleOf = (width: number, zoom: number) => (Math.max(width, 320) / 360) * 2 ** zoom;

function boundsOf(view: View, width: number, height: number): Bounds {
  const k = scaleOf(width, view.zoom);
  return {
    west: clamp(view.lon - width / 2 / k, -180, 180),
    east: clamp(view.lon + width / 2 / k, -180, 180),
    south: clamp(view.lat - height / 2 / k, -90, 90),
    north: clamp(view.lat + height / 2 / k, -90, 90),
  };
}

/** Grid lines every `step` degrees: a round number giving a few lines across the view. */
function gridStep(zoom: number): number {
  const raw = 30 / 2 ** zoom;
  const steps = [30, 15, 10, 5, 2, 1, 0.5, 0.25, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];
  return steps.find((s) => s <= raw) ?? 0.001;
}

/**
 * Geotagged photos on a tile-less map (works offline, nothing leaves the server): a lat/lon grid
 * in an equirectangular projection, with the photos as clusters counted on the server. Zooming
 * splits clusters; clicking one zooms into it and opens its photos.
 */
export default function MapPage() {
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const read = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const [view, setView] = useState<View>({ lon: 0, lat: 20, zoom: 0 });
  const [selected, setSelected] = useState<{ bounds: Bounds; count: number } | null>(null);
  const [opened, setOpened] = useState<MapAsset | null>(null);
  const { width, height } = size;
  const bounds = boundsOf(view, width, height);
  const k = scaleOf(width, view.zoom);
  const x = (lon: number) => width / 2 + (lon - view.lon) * k;
  const y = (lat: number) => height / 2 - (lat - view.lat) * k;

  const clusters = useQuery({
    queryKey: ['map', 'clusters', view.zoom, bounds.west, bounds.south, bounds.east, bounds.north],
    queryFn: ({ signal }) => explore.clusters({ ...bounds, zoom: view.zoom }, signal),
    enabled: width > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const photos = useQuery({
    queryKey: ['map', 'assets', selected?.bounds],
    queryFn: () => explore.mapAssets({ ...(selected?.bounds ?? bounds), limit: 200 }),
    enabled: selected !== null,
  });

  const zoomTo = (zoom: number, lon = view.lon, lat = view.lat) =>
    setView({ zoom: clamp(zoom, 0, MAX_ZOOM), lon: clamp(lon, -180, 180), lat: clamp(lat, -85, 85) });

  const openCluster = (c: MapCluster) => {
    setSelected({ bounds: c.bounds, count: c.count });
    if (c.count > 1 && view.zoom < MAX_ZOOM) zoomTo(view.zoom + 2, c.longitude, c.latitude);
  };

  const drag = useRef<{ x: number; y: number; lon: number; lat: number; moved: boolean } | null>(null);
  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if ((e.target as Element).closest('[data-cluster]')) return;
    drag.current = { x: e.clientX, y: e.clientY, lon: view.lon, lat: view.lat, moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
    if (d.moved)
      setView((v) => ({ ...v, lon: clamp(d.lon - dx / k, -180, 180), lat: clamp(d.lat + dy / k, -85, 85) }));
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  const step = gridStep(view.zoom);
  const lons: number[] = [];
  for (let lon = Math.ceil(bounds.west / step) * step; lon <= bounds.east; lon += step) lons.push(lon);
  const lats: number[] = [];
  for (let lat = Math.ceil(bounds.south / step) * step; lat <= bounds.north; lat += step) lats.push(lat);
  const fmt = (v: number) => (step < 1 ? v.toFixed(step < 0.01 ? 3 : 2) : String(Math.round(v)));
  const list = clusters.data?.clusters ?? [];
  const total = list.reduce((s, c) => s + c.count, 0);

  return (
    <div className="map-page">
      <PageHeader title="Map">
        <span className="muted" data-map-total={total}>
          {clusters.data ? `${plural(total, 'photo')} in view · zoom ${view.zoom}` : ''}
        </span>
        <button type="button" aria-label="Zoom in" onClick={() => zoomTo(view.zoom + 1)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => zoomTo(view.zoom - 1)}>
          −
        </button>
        <button type="button" onClick={() => setView({ lon: 0, lat: 20, zoom: 0 })}>
          Whole world
        </button>
      </PageHeader>
      {clusters.error ? <ErrorBox error={clusters.error} onRetry={() => void clusters.refetch()} /> : null}
      {clusters.data && clusters.data.clusters.length === 0 && view.zoom === 0 ? (
        <p className="muted" role="status">
          No geotagged photos yet: photos with GPS coordinates in their metadata appear here.
        </p>
      ) : null}
      <div className="map-layout">
        <div className="map-box" ref={boxRef}>
          {width > 0 ? (
            <svg
              width={width}
              height={height}
              role="application"
              aria-label="Map of geotagged photos"
              data-zoom={view.zoom}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onWheel={(e) => {
                if (e.deltaY !== 0) zoomTo(view.zoom + (e.deltaY < 0 ? 1 : -1));
              }}
            >
              <rect className="map-world" x={x(-180)} y={y(90)} width={360 * k} height={180 * k} />
              {lons.map((lon) => (
                <g key={`lon${lon}`} className="map-grid">
                  <line x1={x(lon)} x2={x(lon)} y1={Math.max(0, y(90))} y2={Math.min(height, y(-90))} />
                  <text x={x(lon) + 3} y={height - 4}>
                    {fmt(lon)}°
                  </text>
                </g>
              ))}
              {lats.map((lat) => (
                <g key={`lat${lat}`} className={`map-grid${lat === 0 ? ' equator' : ''}`}>
                  <line x1={Math.max(0, x(-180))} x2={Math.min(width, x(180))} y1={y(lat)} y2={y(lat)} />
                  <text x={4} y={y(lat) - 3}>
                    {fmt(lat)}°
                  </text>
                </g>
              ))}
              {list.map((c) => {
                const r = 12 + Math.min(26, 5 * Math.log2(c.count));
                return (
                  <g
                    key={`${c.bounds.south},${c.bounds.west}`}
                    className="map-cluster"
                    data-cluster={c.count}
                    role="button"
                    tabIndex={0}
                    aria-label={`${plural(c.count, 'photo')} near ${c.latitude.toFixed(2)}, ${c.longitude.toFixed(2)}`}
                    transform={`translate(${x(c.longitude)},${y(c.latitude)})`}
                    onClick={() => openCluster(c)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') openCluster(c);
                    }}
                  >
                    <circle r={r} />
                    <text textAnchor="middle" dy="0.35em">
                      {c.count}
                    </text>
                  </g>
                );
              })}
            </svg>
          ) : null}
        </div>
        {selected ? (
          <aside className="map-photos" aria-label="Photos here">
            <header>
              <strong>{plural(selected.count, 'photo')} here</strong>
              <button type="button" aria-label="Close photos" onClick={() => setSelected(null)}>
                ×
              </button>
            </header>
            {photos.error ? <ErrorBox error={photos.error} /> : null}
            <ul className="map-photo-grid">
              {photos.data?.items.map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    className="map-photo"
                    data-map-photo={p.id}
                    title={`${p.path}\n${formatDateTime(p.takenAt)}`}
                    onClick={() => setOpened(p)}
                  >
                    <MediaThumb src={p.thumbnailUrl} kind={p.kind} alt={p.path.split('/').pop() ?? ''} />
                  </button>
                </li>
              ))}
            </ul>
          </aside>
        ) : null}
      </div>
      {opened ? (
        <div
          className="modal-backdrop"
          onClick={() => setOpened(null)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpened(null);
          }}
          role="presentation"
        >
          <div className="modal map-preview" role="dialog" aria-label="Photo on the map">
            <PreviewImage
              assetId={opened.id}
              thumbnailUrl={opened.thumbnailUrl}
              alt={opened.path}
              style={{ maxWidth: '80vw', maxHeight: '70vh' }}
            />
            <p>
              <code className="path">{opened.path}</code>
              <br />
              {formatDateTime(opened.takenAt)} · {opened.latitude.toFixed(5)}, {opened.longitude.toFixed(5)}
            </p>
            <button type="button" onClick={() => setOpened(null)}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
