import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usePermissions } from '../auth/permissions';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, errorMessage } from '../api/client';
import type { Suggestion } from '../api/types';
import { MoreButton, PageHeader, Thumb, ListStatus } from '../ui/components';
import { formatDateTime, plural } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';

function SuggestionCard({ s }: { s: Suggestion }) {
  const perm = usePermissions();
  const [name, setName] = useState(s.name);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const accept = useMutation({
    mutationFn: () => api.suggestions.accept(s.id, name.trim() === s.name ? undefined : name.trim()),
    onSuccess: (album) => {
      void client.invalidateQueries({ queryKey: ['suggestions'] });
      void client.invalidateQueries({ queryKey: ['albums'] });
      // The new album opens: its photos, its cover, and where to rename or change it.
      navigate(`/albums/${album.id}`);
    },
  });
  return (
    <form
      className="card suggestion"
      onSubmit={(e) => {
        e.preventDefault();
        accept.mutate();
      }}
    >
      <Thumb src={s.assetIds[0] ? `/api/assets/${s.assetIds[0]}/thumbnail` : null} alt="" />
      <div>
        <span className="badge">{s.kind}</span>
        <label>
          Album name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <div className="muted">
          {plural(s.assetCount, 'photo')}
          {s.startsAt ? ` · ${formatDateTime(s.startsAt)}` : ''}
        </div>
        {perm.known && perm.canEdit ? (
          <button type="submit" className="primary" disabled={accept.isPending}>
            Create album
          </button>
        ) : null}
        {accept.error ? <p className="form-error">{errorMessage(accept.error)}</p> : null}
      </div>
    </form>
  );
}

export default function SuggestionsPage() {
  const list = useCursorList(['suggestions'], () => api.suggestions.list());
  return (
    <div>
      <PageHeader title="Suggestions" />
      <ListStatus list={list} what="suggestions" emptyTitle="No album suggestions">
        <p>Events and places are proposed once photos with dates or GPS positions are scanned.</p>
      </ListStatus>
      <div className="card-grid">
        {list.items.map((s) => (
          <SuggestionCard key={s.id} s={s} />
        ))}
      </div>
      <MoreButton list={list} />
    </div>
  );
}
