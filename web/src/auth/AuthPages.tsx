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

/** A labelled, required input of an account form. */
function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  autoComplete: string;
  minLength?: number;
  autoFocus?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type={props.type ?? 'text'}
        value={props.value}
        minLength={props.minLength}
        onChange={(e) => props.onChange(e.target.value)}
        required
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus}
      />
    </label>
  );
}

function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
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
        <Field label="Name" value={name} onChange={setName} autoComplete="name" autoFocus />
        <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" />
        <Field
          label="Password (at least 8 characters)"
          type="password"
          value={password}
          minLength={8}
          onChange={setPassword}
          autoComplete="new-password"
        />
        <FormError error={form.error} />
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
        <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" autoFocus />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <FormError error={form.error} />
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
      <Field
        label="Current password"
        type="password"
        value={currentPassword}
        onChange={setCurrent}
        autoComplete="current-password"
      />
      <Field
        label="New password (at least 8 characters)"
        type="password"
        value={newPassword}
        minLength={8}
        onChange={setNew}
        autoComplete="new-password"
      />
      <FormError error={form.error} />
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
