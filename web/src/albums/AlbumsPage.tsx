import { Link } from 'wouter';
import { api } from '../api/client';
import { PageHeader, Thumb, ListStatus } from '../ui/components';
import { plural } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';

export default function AlbumsPage() {
  const list = useCursorList(['albums'], () => api.albums.list());
  return (
    <div>
      <PageHeader title="Albums" />
      <ListStatus list={list} what="albums" emptyTitle="No albums yet">
        <p>
          Accept a proposal in <Link href="/suggestions">Suggestions</Link> to create your first album.
        </p>
      </ListStatus>
      <div className="card-grid">
        {list.items.map((a) => (
          <div key={a.id} className="card album">
            <Thumb src={a.assetIds?.[0] ? `/api/assets/${a.assetIds[0]}/thumbnail` : null} alt="" />
            <strong>{a.name}</strong>
            <span className="muted">{plural(a.assetCount, 'photo')}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
