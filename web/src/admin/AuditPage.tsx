import { api } from '../api/client';
import { MoreButton, PageHeader, ListStatus } from '../ui/components';
import { formatDateTime } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';

export default function AuditPage() {
  const list = useCursorList(['audit'], (cursor) => api.audit.list({ cursor, limit: 100 }));
  return (
    <div>
      <PageHeader title="Audit log" />
      <ListStatus list={list} what="audit log" emptyTitle="Nothing recorded yet">
        <p>
          Every destructive action (removal, restore, purge, user changes) is recorded here with who, when and
          from where.
        </p>
      </ListStatus>
      <table className="jobs-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>{e.userEmail ?? '—'}</td>
              <td>{e.action}</td>
              <td className="path">{e.target}</td>
              <td>{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreButton list={list} />
    </div>
  );
}
