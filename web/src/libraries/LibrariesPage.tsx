import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { Library } from '../api/types';
import { useCurrentUser } from '../auth/session';
import { JobProgress } from '../jobs/JobProgress';
import { RemoveLibraryButton } from './RemoveLibrary';
import { EmptyState, ErrorBox, Loading, PageHeader } from '../ui/components';
import { formatDateTime } from '../ui/format';
import { ConnectImmichForm, ImmichLibraryPanel } from './ImmichPanels';

function SharePanel({ library }: { library: Library }) {
  const client = useQueryClient();
  const shares = useQuery({
    queryKey: ['shares', library.id],
    queryFn: () => api.libraries.shares(library.id),
  });
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.users.list(), retry: false });
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<'viewer' | 'editor'>('viewer');
  const share = useMutation({
    mutationFn: () => api.libraries.share(library.id, userId, role),
    onSuccess: () => client.invalidateQueries({ queryKey: ['shares', library.id] }),
  });
  const unshare = useMutation({
    mutationFn: (uid: string) => api.libraries.unshare(library.id, uid),
    onSuccess: () => client.invalidateQueries({ queryKey: ['shares', library.id] }),
  });
  return (
    <div className="share-panel">
      <h3>Shared with</h3>
      {shares.error ? <ErrorBox error={shares.error} /> : null}
      <ul>
        {shares.data?.items.map((s) => (
          <li key={s.userId}>
            {s.name} ({s.email}) — {s.role}{' '}
            <button type="button" onClick={() => unshare.mutate(s.userId)}>
              Stop sharing
            </button>
          </li>
        ))}
        {shares.data?.items.length === 0 ? <li className="muted">Only you can see this library.</li> : null}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          share.mutate();
        }}
      >
        <select value={userId} onChange={(e) => setUserId(e.target.value)} required aria-label="User">
          <option value="">Choose a user…</option>
          {users.data?.items.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </select>
        <select
          value={role}
          onChange={(e) => setRole(e.target.value as 'viewer' | 'editor')}
          aria-label="Role"
        >
          <option value="viewer">can view</option>
          <option value="editor">can edit</option>
        </select>
        <button type="submit" disabled={!userId || share.isPending}>
          Share
        </button>
        {share.error ? <span className="form-error">{errorMessage(share.error)}</span> : null}
      </form>
    </div>
  );
}

function LibraryCard({ library }: { library: Library }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const scan = useMutation({
    mutationFn: () => api.libraries.scan(library.id),
    onSuccess: (r) => setJobId(r.jobId),
  });
  return (
    <section className="card library" data-library={library.id}>
      <h2>{library.name}</h2>
      <ul className="roots">
        {library.roots.map((r) => (
          <li key={r}>
            <code>{r}</code>
          </li>
        ))}
      </ul>
      <div className="muted">
        {library.readOnly ? 'Read-only: removals are recorded as a move list, files are not touched. ' : ''}
        {library.lastScanAt ? `Last scan ${formatDateTime(library.lastScanAt)}` : 'Not scanned yet'}
      </div>
      {jobId ? <JobProgress jobId={jobId} doneText="Scan finished" /> : null}
      {scan.error ? <ErrorBox error={scan.error} /> : null}
      <div className="row-actions">
        <button type="button" disabled={scan.isPending} onClick={() => scan.mutate()}>
          Rescan
        </button>
        <button type="button" onClick={() => setSharing((s) => !s)} aria-expanded={sharing}>
          Share…
        </button>
        <RemoveLibraryButton library={library} />
      </div>
      {library.kind === 'immich' ? <ImmichLibraryPanel library={library} /> : null}
      {sharing ? <SharePanel library={library} /> : null}
    </section>
  );
}

export default function LibrariesPage() {
  const client = useQueryClient();
  const user = useCurrentUser();
  const libs = useQuery({ queryKey: ['libraries'], queryFn: () => api.libraries.list() });
  const [name, setName] = useState('');
  const [root, setRoot] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      api.libraries.create({ ...(name.trim() ? { name: name.trim() } : {}), roots: [root.trim()], readOnly }),
    onSuccess: (lib) => {
      setJobId(lib.scanJobId);
      setName('');
      setRoot('');
      void client.invalidateQueries({ queryKey: ['libraries'] });
    },
  });
  return (
    <div>
      <PageHeader title="Libraries" />
      <form
        className="card form add-library"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <h2>Add a library</h2>
        <label>
          Folder on the server
          <input value={root} onChange={(e) => setRoot(e.target.value)} placeholder="/photos" required />
        </label>
        <label>
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Family photos" />
        </label>
        <label className="check">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />{' '}
          Read-only (never move files; export a move list instead)
        </label>
        {add.error ? (
          <p className="form-error" role="alert">
            {errorMessage(add.error)}
          </p>
        ) : null}
        <button className="primary" type="submit" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add and scan'}
        </button>
        {jobId ? (
          <JobProgress jobId={jobId} doneText="Scan finished: open Triage to see what was found" />
        ) : null}
      </form>
      <ConnectImmichForm />
      {libs.isPending ? <Loading what="libraries" /> : null}
      {libs.error ? <ErrorBox error={libs.error} onRetry={() => void libs.refetch()} /> : null}
      {libs.data?.items.length === 0 ? (
        <EmptyState title="No library yet">
          <p>
            Enter the path of a photo folder{' '}
            {user?.role === 'admin' ? 'on this server' : 'your administrator gave you'} above; photo-sync
            indexes it and never changes your files without asking.
          </p>
        </EmptyState>
      ) : null}
      {libs.data?.items.map((l) => (
        <LibraryCard key={l.id} library={l} />
      ))}
    </div>
  );
}
