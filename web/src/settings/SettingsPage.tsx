import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { currentTheme, toggleTheme } from '../app/theme';
import { PasswordChangeForm } from '../auth/AuthPages';
import { useCurrentUser } from '../auth/session';
import { ErrorBox, PageHeader } from '../ui/components';
import { FfmpegNotice } from '../explore/MediaThumb';
import { RuntimeSettingsEditor } from './RuntimeSettingsEditor';

function ApiKeys() {
  const client = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api.apiKeys.list(), retry: false });
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.apiKeys.create(name),
    onSuccess: (k) => {
      setSecret(k.secret);
      setName('');
      void client.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.apiKeys.remove(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <section className="card">
      <h2>API keys</h2>
      {keys.error ? <ErrorBox error={keys.error} /> : null}
      <ul>
        {keys.data?.items.map((k) => (
          <li key={k.id}>
            {k.name}{' '}
            <button type="button" onClick={() => remove.mutate(k.id)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      {secret ? (
        <p className="ok-box">
          Copy this key now, it is shown once: <code>{secret}</code>
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Key name (e.g. backup script)"
          required
        />
        <button type="submit">Create key</button>
        {create.error ? <span className="form-error">{errorMessage(create.error)}</span> : null}
      </form>
    </section>
  );
}

export default function SettingsPage() {
  const user = useCurrentUser();
  const [theme, setTheme] = useState(currentTheme());
  return (
    <div>
      <PageHeader title="Settings" />
      <FfmpegNotice />
      <section className="card">
        <h2>Appearance</h2>
        <button type="button" onClick={() => setTheme(toggleTheme())}>
          Use {theme === 'dark' ? 'light' : 'dark'} theme
        </button>
      </section>
      {user ? (
        <>
          <section className="card">
            <h2>Account</h2>
            <p>
              {user.name} · {user.email} · {user.role}
            </p>
          </section>
          <PasswordChangeForm />
          <ApiKeys />
        </>
      ) : null}
      <RuntimeSettingsEditor />
    </div>
  );
}
