import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { usePermissions } from '../auth/permissions';
import { isFinished } from '../jobs/use-job';
import { ConfirmDialog } from '../ui/components';

/**
 * The viewer's actions on the photo shown: favourite (♥, key f), download the original, add to an
 * album, and delete (to the Trash, after a confirmation; restorable from Trash).
 */
async function waitForJob(jobId: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const job = await api.jobs.get(jobId);
    if (isFinished(job)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function ViewerActions({
  assetId,
  fileName,
  onDeleted,
}: {
  assetId: string;
  fileName: string;
  onDeleted: () => void;
}) {
  const client = useQueryClient();
  // A viewer of a shared library may favourite and download, but not delete (the server refuses it).
  const perm = usePermissions();
  const favourite = useQuery({
    queryKey: ['favourite', assetId],
    queryFn: () => api.favourites.get(assetId),
  });
  const isFavourite = favourite.data?.favourite ?? false;
  const toggle = useMutation({
    mutationFn: () => api.favourites.set(assetId, !isFavourite),
    onSuccess: (r) => {
      client.setQueryData(['favourite', assetId], r);
      void client.invalidateQueries({ queryKey: ['favourites'] });
    },
  });
  const [confirming, setConfirming] = useState(false);
  // A viewer closed while the move ran must not reopen on the next photo when it ends.
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const remove = useMutation({
    mutationFn: async () => {
      const { jobId } = await api.actions.remove([{ assetId, reason: 'deleted in the viewer' }]);
      // The move runs as a job: the grid reloads once it has run (in the background).
      void waitForJob(jobId).finally(() => client.invalidateQueries({ queryKey: ['assets'] }));
    },
    onSuccess: () => {
      if (!mounted.current) return;
      setConfirming(false);
      onDeleted();
    },
  });
  const [albumId, setAlbumId] = useState('');
  const albums = useQuery({
    queryKey: ['albums', 'choices'],
    queryFn: () => api.albums.list({ limit: 200 }),
  });
  const addToAlbum = useMutation({
    mutationFn: (id: string) => api.albums.update(id, { addAssetIds: [assetId] }),
    onSuccess: () => {
      setAlbumId('');
      void client.invalidateQueries({ queryKey: ['albums'] });
    },
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === 'f' && !toggle.isPending && favourite.data) toggle.mutate();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle, favourite.data]);

  const error = toggle.error ?? remove.error ?? addToAlbum.error;
  return (
    <div className="viewer-actions">
      <button
        type="button"
        aria-pressed={isFavourite}
        aria-label={isFavourite ? 'Remove from favourites' : 'Add to favourites'}
        title="Favourite (f)"
        disabled={!favourite.data || toggle.isPending}
        onClick={() => toggle.mutate()}
        className={isFavourite ? 'favourite on' : 'favourite'}
      >
        {isFavourite ? '♥' : '♡'}
      </button>
      <a className="button" href={api.assets.originalUrl(assetId, true)} download={fileName}>
        Download
      </a>
      <select
        aria-label="Add to album"
        value={albumId}
        onChange={(e) => {
          setAlbumId(e.target.value);
          if (e.target.value) addToAlbum.mutate(e.target.value);
        }}
      >
        <option value="">{addToAlbum.isSuccess ? 'Added ✓' : 'Add to album…'}</option>
        {albums.data?.items.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      {perm.known && perm.canEdit ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
      ) : null}
      {error ? <span className="form-error">{errorMessage(error)}</span> : null}
      {confirming ? (
        <ConfirmDialog
          title={`Move ${fileName} to the Trash?`}
          confirmLabel="Move to Trash"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The file is moved to photo-sync’s Trash (in a read-only library it goes on the move list instead).
            You can restore it from Trash until the Trash is emptied.
          </p>
          {remove.error ? <p className="form-error">{errorMessage(remove.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
