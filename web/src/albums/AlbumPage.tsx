import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, errorMessage } from '../api/client';
import type { AlbumDetail } from '../api/types';
import { ConfirmDialog, EmptyState, ErrorBox, Loading, PageHeader, Thumb } from '../ui/components';
import { plural } from '../ui/format';
import './albums.css';

type Change = Parameters<typeof api.albums.update>[1];

/** Recent photos of the timeline to tick and add (the newest 300; the viewer adds any photo). */
function PhotoPicker({
  album,
  onAdd,
  onClose,
  busy,
}: {
  album: AlbumDetail;
  onAdd: (ids: string[]) => void;
  onClose: () => void;
  busy: boolean;
}) {
  const recent = useQuery({
    queryKey: ['assets', 'timeline', 'picker'],
    queryFn: () => api.timeline.assets({ limit: 300 }),
  });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const inAlbum = new Set(album.assetIds);
  const candidates = recent.data?.items.filter((a) => !inAlbum.has(a.id)) ?? [];
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-label="Add photos">
        <h2>Add photos to {album.name}</h2>
        {recent.isPending ? <Loading what="photos" /> : null}
        {recent.error ? <ErrorBox error={recent.error} /> : null}
        {recent.data && candidates.length === 0 ? <p>Every recent photo is in this album already.</p> : null}
        <div className="picker photo-grid">
          {candidates.map((a) => (
            <label key={a.id} className={`photo-cell ${chosen.has(a.id) ? 'selected' : ''}`}>
              <Thumb src={a.hasThumbnail ? `/api/assets/${a.id}/thumbnail` : null} alt={a.fileName} />
              <span className="cell-actions">
                <input
                  type="checkbox"
                  aria-label={`Choose ${a.fileName}`}
                  checked={chosen.has(a.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(a.id);
                    else next.delete(a.id);
                    setChosen(next);
                  }}
                />
                <span className="muted">{a.fileName}</span>
              </span>
            </label>
          ))}
        </div>
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={chosen.size === 0 || busy}
            onClick={() => onAdd([...chosen])}
          >
            Add {plural(chosen.size, 'photo')}
          </button>
        </div>
      </div>
    </div>
  );
}

export default function AlbumPage() {
  const { id } = useParams<{ id: string }>();
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const album = useQuery({ queryKey: ['albums', 'detail', id], queryFn: () => api.albums.get(id) });
  const [renaming, setRenaming] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const update = useMutation({
    mutationFn: (change: Change) => api.albums.update(id, change),
    onSuccess: (a) => {
      client.setQueryData(['albums', 'detail', id], a);
      void client.invalidateQueries({ queryKey: ['albums'], exact: true });
      setRenaming(null);
      setPicking(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => api.albums.remove(id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['albums'] });
      navigate('/albums');
    },
  });

  if (album.isPending) return <Loading what="album" />;
  if (album.error)
    return (
      <div>
        <ErrorBox error={album.error} onRetry={() => void album.refetch()} />
        <Link href="/albums">All albums</Link>
      </div>
    );
  const a = album.data;
  return (
    <div className="album-page" data-album-page={a.id}>
      <PageHeader title={a.name}>
        <span className="muted">{plural(a.assetCount, 'photo')}</span>
      </PageHeader>
      <div className="album-toolbar">
        <Link href="/albums">← All albums</Link>
        {renaming === null ? (
          <button type="button" onClick={() => setRenaming(a.name)}>
            Rename
          </button>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ name: renaming });
            }}
          >
            <input
              aria-label="Album name"
              value={renaming}
              onChange={(e) => setRenaming(e.target.value)}
              required
              maxLength={200}
            />
            <button type="submit" className="primary" disabled={update.isPending}>
              Save name
            </button>
            <button type="button" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </form>
        )}
        <button type="button" onClick={() => setPicking(true)}>
          Add photos…
        </button>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>
          Delete album…
        </button>
      </div>
      {update.error ? (
        <p className="form-error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
      {a.assets.length === 0 ? (
        <EmptyState title="This album is empty">
          <p>Use “Add photos…”, or “Add to album” in the photo viewer.</p>
        </EmptyState>
      ) : null}
      <div className="photo-grid">
        {a.assets.map((p) => {
          const name = p.path.split(/[\\/]/).pop() ?? p.path;
          const isCover = p.id === a.coverAssetId;
          return (
            <figure key={p.id} className="photo-cell" data-asset={p.id}>
              <Thumb src={p.thumbnailUrl} alt={name} />
              {isCover ? <span className="card-badge cover">cover</span> : null}
              <figcaption className="cell-actions">
                {isCover ? null : (
                  <button
                    type="button"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ coverAssetId: p.id })}
                    aria-label={`Set ${name} as cover`}
                  >
                    Set as cover
                  </button>
                )}
                <button
                  type="button"
                  disabled={update.isPending}
                  onClick={() => update.mutate({ removeAssetIds: [p.id] })}
                  aria-label={`Remove ${name} from album`}
                >
                  Remove
                </button>
              </figcaption>
            </figure>
          );
        })}
      </div>
      {picking ? (
        <PhotoPicker
          album={a}
          busy={update.isPending}
          onAdd={(ids) => update.mutate({ addAssetIds: ids })}
          onClose={() => setPicking(false)}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete the album “${a.name}”?`}
          confirmLabel="Delete album"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setDeleting(false)}
        >
          <p>The album is forgotten. Its {plural(a.assetCount, 'photo')} stay in your library and on disk.</p>
          {remove.error ? <p className="form-error">{errorMessage(remove.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
