import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
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
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <div>
      <PageHeader title="Users" />
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
              <td>{u.role}</td>
              <td>
                {u.id !== me?.id ? (
                  <button type="button" onClick={() => setRemoving({ id: u.id, email: u.email })}>
                    Remove
                  </button>
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
