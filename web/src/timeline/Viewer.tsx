import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { usePermissions } from '../auth/permissions';
import type { Asset } from '../api/types';
import { cameraLabel } from '../ui/camera';
import { formatBytes, formatDateTime } from '../ui/format';
import { ViewerActions } from './ViewerActions';
import '../albums/albums.css';
import { PreviewImage } from '../ui/PreviewImage';
import { useViewerKeys, ViewerStep } from '../ui/viewer-navigation';
import type { Card } from './timeline-layout';
import { thumbnailOf, type TimelineAsset } from './use-timeline-assets';

interface Props {
  cards: Card<TimelineAsset>[];
  index: number;
  /** Where the shown card is in the whole timeline, and how many cards it has (loaded or not). */
  position?: number | undefined;
  total?: number | undefined;
  stacks: Map<string, { stackId: string; primary: boolean }> | undefined;
  onIndex: (i: number) => void;
  onClose: () => void;
}

/** The whole asset (the grid holds only what it draws), cached like every other asset query. */
const assetQuery = (id: string) => ({
  queryKey: ['assets', 'detail', id],
  queryFn: () => api.assets.get(id),
  staleTime: 60_000,
});

/** Asks for the assets either side of the one shown, so ←/→ show their details at once. */
function prefetchNeighbours(client: QueryClient, cards: Card<TimelineAsset>[], index: number) {
  for (const i of [index - 1, index + 1]) {
    const id = cards[i]?.item.id;
    // Fresh data is reused (staleTime); a failure shows when that asset is opened, not here.
    if (id) client.query(assetQuery(id)).catch(() => undefined);
  }
}

/** Details of the shown asset: what the grid card knows at once, the rest once it is loaded. */
function MetadataPanel({
  card,
  a,
  error,
}: {
  card: TimelineAsset;
  a: Asset | undefined;
  error: Error | null;
}) {
  if (!a)
    return (
      <dl className="meta-panel">
        <div>
          <dt>File</dt>
          <dd>{card.fileName}</dd>
        </div>
        <div>
          <dt>Resolution</dt>
          <dd>{card.width && card.height ? `${card.width} × ${card.height}` : card.kind}</dd>
        </div>
        <div>
          <dt>Details</dt>
          <dd>{error ? errorMessage(error) : 'Loading…'}</dd>
        </div>
      </dl>
    );
  const rows: [string, string | null][] = [
    ['File', a.path],
    ['Taken', a.capturedAt ? formatDateTime(a.capturedAt) : null],
    ['Size', formatBytes(a.sizeBytes)],
    ['Resolution', a.width && a.height ? `${a.width} × ${a.height}` : null],
    ['Format', `${a.kind}${a.mime ? ` (${a.mime})` : ''}`],
    ['Camera', cameraLabel(a.camera.make, a.camera.model)],
    ['Lens', a.camera.lens],
    [
      'Exposure',
      [
        a.exposure.exposureTime ? `${a.exposure.exposureTime}s` : null,
        a.exposure.fNumber ? `f/${a.exposure.fNumber}` : null,
        a.exposure.iso ? `ISO ${a.exposure.iso}` : null,
        a.exposure.focalLength ? `${a.exposure.focalLength} mm` : null,
      ]
        .filter(Boolean)
        .join(' · ') || null,
    ],
    ['Location', a.gps ? `${a.gps.latitude.toFixed(5)}, ${a.gps.longitude.toFixed(5)}` : null],
    ['Rating', a.rating !== null ? '★'.repeat(a.rating) : null],
    ['Description', a.description],
  ];
  return (
    <dl className="meta-panel">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

/** Full-screen viewer: ←/→ previous/next, Esc closes, i toggles the metadata panel. */
export function Viewer({ cards, index, position, total, stacks, onIndex, onClose }: Props) {
  const card = cards[index];
  const [memberId, setMemberId] = useState<string | null>(null);
  const [showInfo, setShowInfo] = useState(true);
  const client = useQueryClient();
  const perm = usePermissions();
  const asset = card?.members.find((m) => m.id === memberId) ?? card?.item;
  const details = useQuery({ ...assetQuery(asset?.id ?? ''), enabled: asset !== undefined });
  const stack = asset ? stacks?.get(asset.id) : undefined;
  const setPrimary = useMutation({
    mutationFn: (a: TimelineAsset) => api.versions.setPrimary(stack?.stackId ?? '', a.id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['versions'] }),
  });

  useEffect(() => setMemberId(null), [index]);
  useEffect(() => prefetchNeighbours(client, cards, index), [client, cards, index]);
  const onInfoKey = useCallback((e: KeyboardEvent) => {
    if (e.key === 'i') setShowInfo((s) => !s);
  }, []);
  useViewerKeys({ index, count: cards.length, onIndex, onClose, onOtherKey: onInfoKey });

  if (!card || !asset) return null;
  return (
    <div className="viewer" role="dialog" aria-modal="true" aria-label="Photo viewer">
      <div className="viewer-bar">
        <button type="button" onClick={onClose} aria-label="Close viewer">
          ✕
        </button>
        <span className="muted">
          {(position ?? index + 1).toLocaleString()} / {(total ?? cards.length).toLocaleString()}
        </span>
        <ViewerActions
          key={asset.id}
          assetId={asset.id}
          fileName={asset.fileName}
          onDeleted={() => {
            if (index < cards.length - 1) onIndex(index + 1);
            else if (index > 0) onIndex(index - 1);
            else onClose();
          }}
        />
        <button type="button" onClick={() => setShowInfo((s) => !s)} aria-pressed={showInfo}>
          Info
        </button>
      </div>
      <div className="viewer-main">
        <ViewerStep step={-1} index={index} count={cards.length} onIndex={onIndex} label="Previous" />
        <div className="viewer-image">
          {asset.kind === 'video' ? (
            <video
              key={asset.id}
              className="viewer-video"
              src={api.assets.originalUrl(asset.id)}
              poster={thumbnailOf(asset) ?? undefined}
              controls
              playsInline
              preload="metadata"
              aria-label={`Video ${asset.fileName}`}
            />
          ) : (
            <PreviewImage
              key={asset.id}
              assetId={asset.id}
              thumbnailUrl={thumbnailOf(asset)}
              alt={details.data?.path ?? asset.fileName}
            />
          )}
        </div>
        <ViewerStep step={1} index={index} count={cards.length} onIndex={onIndex} label="Next" />
        {showInfo ? <MetadataPanel card={asset} a={details.data} error={details.error} /> : null}
      </div>
      {card.members.length > 1 ? (
        <div className="version-switcher" aria-label="Versions">
          {card.members.map((m) => (
            <button
              type="button"
              key={m.id}
              className={m.id === asset.id ? 'selected' : ''}
              onClick={() => setMemberId(m.id)}
              title={m.fileName}
            >
              {m.hasThumbnail ? <img src={thumbnailOf(m) ?? ''} alt="" /> : m.kind}
              {stacks?.get(m.id)?.primary ? <span className="card-badge">primary</span> : null}
            </button>
          ))}
          {stack && !stack.primary && perm.known && perm.canEdit ? (
            <button
              type="button"
              className="primary"
              disabled={setPrimary.isPending}
              onClick={() => setPrimary.mutate(asset)}
            >
              Set as primary
            </button>
          ) : null}
          {setPrimary.error ? <span className="form-error">{errorMessage(setPrimary.error)}</span> : null}
        </div>
      ) : null}
    </div>
  );
}
