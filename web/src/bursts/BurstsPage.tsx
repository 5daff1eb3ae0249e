import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import type { Burst } from '../api/types';
import { MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { useCursorList } from '../ui/use-cursor-list';

function BurstStrip({ burst }: { burst: Burst }) {
  const client = useQueryClient();
  const decide = useMutation({
    mutationFn: (action: 'keep-best' | 'keep-all') => api.bursts.decide(burst.id, { action }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bursts'] }),
  });
  return (
    <section className="card burst">
      <div className="burst-strip" role="list">
        {burst.frames.map((f) => (
          <div
            role="listitem"
            key={f.asset.id}
            className={`burst-frame ${f.recommended ? 'recommended' : ''}`}
          >
            <Thumb src={f.asset.thumbnailUrl} alt="" />
            {f.recommended ? <span className="card-badge">best</span> : null}
            <span className="frame-score">{Math.round(f.score)}</span>
          </div>
        ))}
      </div>
      <div className="row-actions">
        <span className="muted">{burst.frames.length} frames</span>
        <button
          type="button"
          className="primary"
          disabled={decide.isPending}
          onClick={() => decide.mutate('keep-best')}
        >
          Keep best, remove {burst.frames.length - 1}
        </button>
        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate('keep-all')}>
          Keep all
        </button>
        {decide.error ? <span className="form-error">{errorMessage(decide.error)}</span> : null}
      </div>
    </section>
  );
}

export default function BurstsPage() {
  const list = useCursorList(['bursts'], (cursor) => api.bursts.list({ cursor, limit: 50 }));
  return (
    <div>
      <PageHeader title="Bursts" />
      <ListStatus list={list} what="bursts" emptyTitle="No bursts to review">
        <p>Bursts are rapid series of shots; they appear here after a scan finds them.</p>
      </ListStatus>
      {list.items.map((b) => (
        <BurstStrip key={b.id} burst={b} />
      ))}
      <MoreButton
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onMore={() => void list.fetchNextPage()}
      />
    </div>
  );
}
