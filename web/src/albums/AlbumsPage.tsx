import { Link } from 'wouter';
import { api } from '../api/client';
import { EmptyState, ErrorBox, Loading, PageHeader, Thumb } from '../ui/components';
import { plural } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';

export default function AlbumsPage() {
  const list = useCursorList(['albums'], () => api.albums.list());
  return (
    <div>
      <PageHeader title="Albums" />
      {list.isPending ? <Loading what="albums" /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : null}
      {!list.isPending && !list.error && list.items.length === 0 ? (
        <EmptyState title="No albums yet">
          <p>
            Accept a proposal in <Link href="/suggestions">Suggestions</Link> to create your first album.
          </p>
        </EmptyState>
      ) : null}
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
