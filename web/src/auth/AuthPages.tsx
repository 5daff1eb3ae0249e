import { useState, type SyntheticEvent } from 'react';
import { api, errorMessage } from '../api/client';
import { useSession } from './session';

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    action()
      .catch((err: unknown) => {
        setError(errorMessage(err));
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return { busy, error, submit };
}

export function FirstRunPage() {
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(async () => {
    await api.auth.setup({ email, name, password });
    await refresh();
  });
  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={form.submit}>
        <h1>Welcome to photo-sync</h1>
        <p>Create the administrator account. You can add other users afterwards.</p>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="name"
            autoFocus
          />
        </label>
        <label>
          Email
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="email"
          />
        </label>
        <label>
          Password (at least 8 characters)
          <input
            type="password"
            value={password}
            minLength={8}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="new-password"
          />
        </label>
        {form.error ? (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        ) : null}
        <button className="primary" type="submit" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create admin account'}
        </button>
      </form>
    </main>
  );
}

export function LoginPage({ reason }: { reason?: string | undefined }) {
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(async () => {
    await api.auth.login({ email, password });
    await refresh();
  });
  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={form.submit}>
        <h1>Sign in to photo-sync</h1>
        {reason ? <p className="hint">{reason}</p> : null}
        <label>
          Email
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="email"
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="current-password"
          />
        </label>
        {form.error ? (
          <p className="form-error" role="alert">
            {form.error}
          </p>
        ) : null}
        <button className="primary" type="submit" disabled={form.busy}>
          {form.busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Forgot your password? An administrator can reset it from Admin → Users.</p>
      </form>
    </main>
  );
}

export function PasswordChangeForm() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit(async () => {
    setDone(false);
    await api.auth.changePassword({ currentPassword, newPassword });
    setCurrent('');
    setNew('');
    setDone(true);
  });
  return (
    <form className="card form" onSubmit={form.submit}>
      <h2>Change password</h2>
      <label>
        Current password
        <input
          type="password"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          required
          autoComplete="current-password"
        />
      </label>
      <label>
        New password (at least 8 characters)
        <input
          type="password"
          value={newPassword}
          minLength={8}
          onChange={(e) => setNew(e.target.value)}
          required
          autoComplete="new-password"
        />
      </label>
      {form.error ? (
        <p className="form-error" role="alert">
          {form.error}
        </p>
      ) : null}
      {done ? (
        <p className="ok-box" role="status">
          Password changed.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={form.busy}>
        {form.busy ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}
