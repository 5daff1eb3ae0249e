import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, errorMessage } from '../api/client';
import { MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { plural } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';
import './albums.css';

/** "New album": a name now, photos added on the album's page (or from the viewer). */
function NewAlbumForm() {
  const [name, setName] = useState('');
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => api.albums.create({ name: name.trim() }),
    onSuccess: (a) => {
      void client.invalidateQueries({ queryKey: ['albums'] });
      navigate(`/albums/${a.id}`);
    },
  });
  return (
    <form
      className="new-album"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <label>
        New album
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Summer 2025"
          required
          maxLength={200}
        />
      </label>
      <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
        Create album
      </button>
      {create.error ? (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
    </form>
  );
}

export default function AlbumsPage() {
  const list = useCursorList(['albums'], (cursor) => api.albums.list({ cursor, limit: 100 }));
  return (
    <div>
      <PageHeader title="Albums" />
      <NewAlbumForm />
      <ListStatus list={list} what="albums" emptyTitle="No albums yet">
        <p>
          Create one above, or accept a proposal in <Link href="/suggestions">Suggestions</Link>.
        </p>
      </ListStatus>
      <div className="card-grid">
        {list.items.map((a) => (
          <Link key={a.id} href={`/albums/${a.id}`} className="card album-card" data-album={a.id}>
            <Thumb src={a.coverUrl} alt="" />
            <span className="album-title">{a.name}</span>
            <span className="album-count muted">{plural(a.assetCount, 'photo')}</span>
          </Link>
        ))}
      </div>
      <MoreButton list={list} />
    </div>
  );
}
