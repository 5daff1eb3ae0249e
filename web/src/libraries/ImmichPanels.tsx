import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { ImmichPermission, ImmichWrite, ImmichWriteJob, Library } from '../api/types';
import { JobProgress } from '../jobs/JobProgress';

function MissingPermissions({ missing }: { missing: ImmichPermission[] }) {
  if (missing.length === 0) return <p className="muted">The API key has every permission photo-sync uses.</p>;
  return (
    <div className="form-error" role="status">
      The API key lacks these permissions; what needs them will fail until you add them in Immich:
      <ul>
        {missing.map((p) => (
          <li key={p.permission}>
            <code>{p.permission}</code> — {p.usedFor}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Libraries → Connect Immich: URL + API key, checked by the server before anything is saved. */
export function ConnectImmichForm() {
  const client = useQueryClient();
  const [url, setUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [name, setName] = useState('');
  const connect = useMutation({
    mutationFn: () =>
      api.libraries.connectImmich({
        url: url.trim(),
        apiKey: apiKey.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
      }),
    onSuccess: () => {
      setApiKey('');
      void client.invalidateQueries({ queryKey: ['libraries'] });
    },
  });
  return (
    <form
      className="card form connect-immich"
      onSubmit={(e) => {
        e.preventDefault();
        connect.mutate();
      }}
    >
      <h2>Connect Immich</h2>
      <label>
        Immich URL
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="http://immich.local:2283"
          required
        />
      </label>
      <label>
        API key (Immich → Account settings → API keys)
        <input
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          required
        />
      </label>
      <label>
        Library name (optional)
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Immich" />
      </label>
      {connect.error ? (
        <p className="form-error" role="alert">
          {errorMessage(connect.error)}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={connect.isPending}>
        {connect.isPending ? 'Checking…' : 'Check and connect'}
      </button>
      {connect.data ? (
        <>
          <p>Connected to Immich {connect.data.serverVersion}.</p>
          <MissingPermissions missing={connect.data.missingPermissions} />
          <JobProgress
            jobId={connect.data.scanJobId}
            doneText="Immich read: open Triage to see what was found"
          />
        </>
      ) : null}
    </form>
  );
}

/** On an Immich library's card: check the key, write the analysis back, undo a write-back. */
export function ImmichLibraryPanel({ library }: { library: Library }) {
  const [what, setWhat] = useState({ stacks: true, albums: true, duplicates: false });
  const [jobId, setJobId] = useState<string | null>(null);
  const [writes, setWrites] = useState<ImmichWrite[] | null>(null);
  const check = useMutation({ mutationFn: () => api.libraries.checkImmich(library.id) });
  const queryClient = useQueryClient();
  const push = useMutation({
    mutationFn: () => api.libraries.pushImmich(library.id, what),
    onSuccess: (r) => {
      setJobId(r.jobId);
      setWrites(null);
      void queryClient.invalidateQueries({ queryKey: ['immich-writes', library.id] });
    },
  });
  const results = useMutation({
    mutationFn: (id: string) => api.libraries.immichWrites(library.id, id),
    onSuccess: (r) => setWrites(r.items),
  });
  const undo = useMutation({ mutationFn: (id: string) => api.libraries.undoImmichPush(library.id, id) });
  return (
    <div className="immich-panel">
      <div className="muted">
        Immich {library.immich?.version ?? ''} at <code>{library.immich?.url}</code>
      </div>
      <div className="row-actions">
        <button type="button" disabled={check.isPending} onClick={() => check.mutate()}>
          Check API key
        </button>
      </div>
      {check.data ? <MissingPermissions missing={check.data.missingPermissions} /> : null}
      {check.error ? <p className="form-error">{errorMessage(check.error)}</p> : null}
      <fieldset>
        <legend>Write to Immich</legend>
        {(['stacks', 'albums', 'duplicates'] as const).map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={what[k]}
              onChange={(e) => setWhat((w) => ({ ...w, [k]: e.target.checked }))}
            />{' '}
            {k === 'stacks'
              ? 'Stacks for versions and bursts'
              : k === 'albums'
                ? 'Albums for accepted suggestions'
                : "Near-duplicate groups into Immich's duplicate review"}
          </label>
        ))}
        <button type="button" disabled={push.isPending} onClick={() => push.mutate()}>
          Write to Immich
        </button>
        {push.error ? <p className="form-error">{errorMessage(push.error)}</p> : null}
      </fieldset>
      {jobId ? (
        <>
          <JobProgress jobId={jobId} doneText="Written to Immich" />
          <div className="row-actions">
            <button type="button" onClick={() => results.mutate(jobId)}>
              Show results
            </button>
            <button type="button" disabled={undo.isPending} onClick={() => undo.mutate(jobId)}>
              Undo this write
            </button>
          </div>
          {undo.data ? (
            <p>
              Undone: {undo.data.undone}
              {undo.data.failed.length > 0 ? `, ${undo.data.failed.length} could not be undone` : ''}
            </p>
          ) : null}
          {undo.error ? <p className="form-error">{errorMessage(undo.error)}</p> : null}
        </>
      ) : null}
      {writes ? (
        <ul className="immich-writes">
          {writes.map((w) => (
            <li key={w.id}>
              {w.kind} {w.name ?? ''} ({w.assetIds.length} photos): {w.status}
              {w.error ? ` — ${w.error}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <RecentImmichWrites library={library} />
    </div>
  );
}

function statusSummary(j: ImmichWriteJob): string {
  return Object.entries(j.statuses)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

/**
 * Every write job of the library, the ones triage and decisions started too (a burst kept, a
 * primary chosen, a suggestion accepted), each with its undo.
 */
function RecentImmichWrites({ library }: { library: Library }) {
  const client = useQueryClient();
  const key = ['immich-writes', library.id];
  // Decisions taken elsewhere (Triage, bursts, versions) add jobs: read the list again on each visit.
  const jobs = useQuery({
    queryKey: key,
    queryFn: () => api.libraries.immichJobs(library.id),
    refetchOnMount: 'always',
  });
  const undo = useMutation({
    mutationFn: (jobId: string) => api.libraries.undoImmichPush(library.id, jobId),
    onSettled: () => void client.invalidateQueries({ queryKey: key }),
  });
  const items = jobs.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <details className="immich-recent">
      <summary>Recent writes to Immich ({items.length})</summary>
      <ul>
        {items.map((j) => (
          <li key={j.jobId}>
            {new Date(j.createdAt).toLocaleString()} — {j.kinds.join(', ')}: {statusSummary(j)}{' '}
            {(j.statuses.applied ?? 0) > 0 ? (
              <button type="button" disabled={undo.isPending} onClick={() => undo.mutate(j.jobId)}>
                Undo
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {undo.error ? <p className="form-error">{errorMessage(undo.error)}</p> : null}
    </details>
  );
}
