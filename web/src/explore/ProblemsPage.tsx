import './explore.css';
import { useState } from 'react';
import { explore } from '../api/explore';
import { ErrorBox, Loading, MoreButton, PageHeader } from '../ui/components';
import { formatBytes, formatDateTime } from '../ui/format';
import { useCursorList } from '../ui/use-cursor-list';
import { FfmpegNotice } from './MediaThumb';

const codeLabels: Record<string, string> = {
  unreadable: 'Unreadable',
  unsupported: 'Not a photo or video',
  empty: 'Empty file',
  corrupted: 'Damaged',
  'needs-ffmpeg': 'Needs ffmpeg',
};

/**
 * Every file photo-sync could not read, did not recognise, or indexed with a defect: its path,
 * its library and why — the files a scan's "n failed" counted.
 */
export default function ProblemsPage() {
  const [status, setStatus] = useState<'all' | 'failed'>('all');
  const [counts, setCounts] = useState<{ code: string; count: number }[]>([]);
  const list = useCursorList(['problems', status], async (cursor) => {
    const page = await explore.problems({ cursor, limit: 100, status });
    if (!cursor) setCounts(page.counts);
    return page;
  });
  return (
    <div>
      <PageHeader title="Problems">
        <label>
          Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value === 'failed' ? 'failed' : 'all')}>
            <option value="all">All files with a problem</option>
            <option value="failed">Only files that could not be indexed</option>
          </select>
        </label>
        <button type="button" onClick={() => void list.refetch()}>
          Refresh
        </button>
      </PageHeader>
      <FfmpegNotice />
      {counts.length > 0 ? (
        <p className="muted problem-counts">
          {counts.map((c) => `${codeLabels[c.code] ?? c.code}: ${c.count.toLocaleString()}`).join(' · ')}
        </p>
      ) : null}
      {list.isPending ? <Loading what="problems" /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : null}
      {!list.isPending && !list.error && list.items.length === 0 ? (
        <div className="empty" role="status">
          <h2>No problems</h2>
          <p>Every file in your libraries was read.</p>
        </div>
      ) : null}
      {list.items.length > 0 ? (
        <table className="jobs-table problems-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Problem</th>
              <th>Library</th>
              <th>Last tried</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((p) => (
              <tr key={p.assetId} data-problem={p.code} data-path={p.path}>
                <td>
                  <code className="path">{p.path}</code>
                  <div className="muted">
                    {formatBytes(p.sizeBytes)}
                    {p.status === 'failed' ? ' · not indexed; tried again on the next scan' : ' · indexed'}
                  </div>
                </td>
                <td>
                  <span className={`status status-${p.status === 'failed' ? 'failed' : 'warning'}`}>
                    {codeLabels[p.code] ?? p.code}
                  </span>
                  <div>{p.reason}</div>
                </td>
                <td>{p.libraryName}</td>
                <td>{formatDateTime(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <MoreButton list={list} />
    </div>
  );
}
