import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import { MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { plural } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';
import './albums.css';

/** The caller's favourites, newest first (♥ in the photo viewer marks one). */
export default function FavouritesPage() {
  const list = useCursorList(['favourites'], (cursor) => api.favourites.list({ cursor, limit: 200 }));
  const client = useQueryClient();
  const unmark = useMutation({
    mutationFn: (id: string) => api.favourites.set(id, false),
    onSuccess: (_r, id) => {
      void client.invalidateQueries({ queryKey: ['favourites'] });
      void client.invalidateQueries({ queryKey: ['favourite', id] });
    },
  });
  return (
    <div>
      <PageHeader title="Favourites">
        {list.items.length > 0 ? <span className="muted">{plural(list.items.length, 'photo')}</span> : null}
      </PageHeader>
      <ListStatus list={list} what="favourites" emptyTitle="No favourites yet">
        <p>Open a photo and press ♥ (or the f key) to keep it here.</p>
      </ListStatus>
      {unmark.error ? <p className="form-error">{errorMessage(unmark.error)}</p> : null}
      <div className="photo-grid">
        {list.items.map((a) => {
          const name = a.path.split(/[\\/]/).pop() ?? a.path;
          return (
            <figure key={a.id} className="photo-cell" data-favourite={a.id}>
              <Thumb src={a.thumbnailUrl} alt={name} />
              <figcaption className="cell-actions">
                <span className="muted">{name}</span>
                <button
                  type="button"
                  onClick={() => unmark.mutate(a.id)}
                  aria-label={`Remove ${name} from favourites`}
                >
                  ♥ Remove
                </button>
              </figcaption>
            </figure>
          );
        })}
      </div>
      <MoreButton list={list} />
    </div>
  );
}
