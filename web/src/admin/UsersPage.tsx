import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { explore } from '../api/explore';
import type { Role } from '../api/types';
import { useCurrentUser } from '../auth/session';
import { ConfirmDialog, ErrorBox, Loading, PageHeader } from '../ui/components';

export default function UsersPage() {
  const me = useCurrentUser();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.users.list() });
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'user' as Role });
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);
  const create = useMutation({
    mutationFn: () => api.users.create(form),
    onSuccess: () => {
      setForm({ email: '', name: '', password: '', role: 'user' });
      void client.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.users.remove(id),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const [resetting, setResetting] = useState<{ id: string; email: string } | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const changeRole = useMutation({
    mutationFn: (v: { id: string; role: Role }) => explore.changeRole(v.id, v.role),
    onSuccess: (u) => {
      setNotice(
        `${u.email} is now ${u.role === 'admin' ? 'an administrator' : 'a user'}; they sign in again.`,
      );
      void client.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const reset = useMutation({
    mutationFn: (v: { id: string; password: string }) => explore.resetPassword(v.id, v.password),
    onSuccess: () => {
      setNotice(`New password set for ${resetting?.email ?? 'the user'}; their sessions were signed out.`);
      setResetting(null);
      setNewPassword('');
    },
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <div>
      <PageHeader title="Users" />
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {changeRole.error ? (
        <p className="form-error" role="alert">
          {errorMessage(changeRole.error)}
        </p>
      ) : null}
      {users.isPending ? <Loading what="users" /> : null}
      {users.error ? <ErrorBox error={users.error} onRetry={() => void users.refetch()} /> : null}
      <table className="jobs-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                {u.id !== me?.id ? (
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={changeRole.isPending}
                    onChange={(e) =>
                      changeRole.mutate({ id: u.id, role: e.target.value === 'admin' ? 'admin' : 'user' })
                    }
                  >
                    <option value="user">user</option>
                    <option value="admin">admin</option>
                  </select>
                ) : (
                  u.role
                )}
              </td>
              <td className="row-actions">
                {u.id !== me?.id ? (
                  <>
                    <button type="button" onClick={() => setResetting({ id: u.id, email: u.email })}>
                      Reset password
                    </button>
                    <button type="button" onClick={() => setRemoving({ id: u.id, email: u.email })}>
                      Remove
                    </button>
                  </>
                ) : (
                  <span className="muted">you</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2>Add a user</h2>
        <label>
          Name <input value={form.name} onChange={set('name')} required />
        </label>
        <label>
          Email <input type="email" value={form.email} onChange={set('email')} required />
        </label>
        <label>
          Initial password{' '}
          <input
            type="password"
            minLength={8}
            value={form.password}
            onChange={set('password')}
            required
            autoComplete="new-password"
          />
        </label>
        <label>
          Role{' '}
          <select value={form.role} onChange={set('role')}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        {create.error ? (
          <p className="form-error" role="alert">
            {errorMessage(create.error)}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={create.isPending}>
          Add user
        </button>
      </form>
      {resetting ? (
        <div className="modal-backdrop">
          <form
            className="modal"
            role="dialog"
            aria-modal="true"
            aria-labelledby="reset-title"
            onSubmit={(e) => {
              e.preventDefault();
              reset.mutate({ id: resetting.id, password: newPassword });
            }}
          >
            <h2 id="reset-title">Reset the password of {resetting.email}</h2>
            <div className="modal-body form">
              <label>
                New password{' '}
                <input
                  type="password"
                  minLength={8}
                  required
                  autoComplete="new-password"
                  value={newPassword}
                  onChange={(e) => setNewPassword(e.target.value)}
                />
              </label>
              <p className="muted">
                Every session of this user ends now. Give them the new password; they can change it in
                Settings.
              </p>
              {reset.error ? (
                <p className="form-error" role="alert">
                  {errorMessage(reset.error)}
                </p>
              ) : null}
            </div>
            <div className="modal-actions">
              <button type="button" onClick={() => setResetting(null)}>
                Cancel
              </button>
              <button type="submit" className="primary" disabled={reset.isPending}>
                Set new password
              </button>
            </div>
          </form>
        </div>
      ) : null}
      {removing ? (
        <ConfirmDialog
          title="Remove user?"
          danger
          confirmLabel={`Remove ${removing.email}`}
          busy={remove.isPending}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id)}
        >
          <p>{removing.email} can no longer sign in. Their libraries’ files on disk are not touched.</p>
          {remove.error ? <p className="form-error">{errorMessage(remove.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
