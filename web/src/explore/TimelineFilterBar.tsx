import './explore.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { explore, type TimelineFilter } from '../api/explore';

const KEYS = ['from', 'to', 'camera', 'folder', 'kind', 'label'] as const;

/** The timeline filter as the page's URL query holds it (shareable, survives a reload). */
export function useTimelineFilter(): TimelineFilter {
  const params = new URLSearchParams(useSearch());
  const filter: TimelineFilter = {};
  for (const k of KEYS) {
    const v = params.get(k);
    if (v) filter[k] = v;
  }
  return filter;
}

const kindLabels: Record<string, string> = {
  jpeg: 'JPEG',
  heic: 'HEIC',
  png: 'PNG',
  webp: 'WebP',
  avif: 'AVIF',
  tiff: 'TIFF',
  gif: 'GIF',
  bmp: 'BMP',
  raw: 'RAW',
  video: 'Video',
};

/**
 * Narrow the timeline by date range, camera, folder, file kind and quality label. The choices
 * come from GET /api/timeline/facets; the filter lives in the URL.
 */
export function TimelineFilterBar({ filter }: { filter: TimelineFilter }) {
  const [, navigate] = useLocation();
  const [open, setOpen] = useState(Object.keys(filter).length > 0);
  const facets = useQuery({
    queryKey: ['timeline', 'facets'],
    queryFn: () => explore.facets(),
    enabled: open,
  });
  const [folder, setFolder] = useState(filter.folder ?? '');
  const set = (key: keyof TimelineFilter, value: string) => {
    const next = new URLSearchParams();
    for (const k of KEYS) {
      const v = k === key ? value : filter[k];
      if (v) next.set(k, v);
    }
    const qs = next.toString();
    navigate(qs ? `/?${qs}` : '/', { replace: true });
  };
  const active = Object.keys(filter).length;
  return (
    <section className="filter-bar" aria-label="Filter photos">
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Filter{active ? ` (${active})` : ''}
      </button>
      {open ? (
        <div className="filter-fields">
          <label>
            From <input type="date" value={filter.from ?? ''} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label>
            To <input type="date" value={filter.to ?? ''} onChange={(e) => set('to', e.target.value)} />
          </label>
          <label>
            Camera{' '}
            <select value={filter.camera ?? ''} onChange={(e) => set('camera', e.target.value)}>
              <option value="">Any camera</option>
              {facets.data?.cameras.map((c) => (
                <option key={c.model} value={c.model}>
                  {c.make && !c.model.toLowerCase().startsWith(c.make.toLowerCase())
                    ? `${c.make} ${c.model}`
                    : c.model}{' '}
                  ({c.count})
                </option>
              ))}
            </select>
          </label>
          <label>
            Kind{' '}
            <select value={filter.kind ?? ''} onChange={(e) => set('kind', e.target.value)}>
              <option value="">Any kind</option>
              {facets.data?.kinds.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {kindLabels[k.kind] ?? k.kind} ({k.count})
                </option>
              ))}
            </select>
          </label>
          <label>
            Quality{' '}
            <select value={filter.label ?? ''} onChange={(e) => set('label', e.target.value)}>
              <option value="">Any quality</option>
              {facets.data?.labels.map((l) => (
                <option key={l.label} value={l.label}>
                  {l.label} ({l.count})
                </option>
              ))}
            </select>
          </label>
          <form
            className="filter-folder"
            onSubmit={(e) => {
              e.preventDefault();
              set('folder', folder.trim());
            }}
          >
            <label>
              Folder{' '}
              <input
                list="timeline-folders"
                value={folder}
                placeholder="/photos/2024"
                onChange={(e) => setFolder(e.target.value)}
                onBlur={() => {
                  if (folder.trim() !== (filter.folder ?? '')) set('folder', folder.trim());
                }}
              />
            </label>
            <datalist id="timeline-folders">
              {facets.data?.folders.map((f) => (
                <option key={f.folder} value={f.folder} />
              ))}
            </datalist>
          </form>
          {active ? (
            <button
              type="button"
              onClick={() => {
                setFolder('');
                navigate('/', { replace: true });
              }}
            >
              Clear filters
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
