import type { DuplicateDetail } from '../api/types';
import { metadataDiff } from './metadata-diff';

/** Rows where members differ are marked; a cell that is not the keeper's value is highlighted. */
export function MetadataDiffTable({
  detail,
  keeperId,
}: {
  detail: DuplicateDetail;
  keeperId: string | undefined;
}) {
  const rows = metadataDiff(detail, keeperId);
  return (
    <table className="diff-table">
      <thead>
        <tr>
          <th scope="col">Field</th>
          {detail.members.map((m, i) => (
            <th scope="col" key={m.asset.id}>
              Copy {i + 1}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.field} className={r.differs ? 'differs' : ''}>
            <th scope="row">
              {r.label}
              {r.differs ? <span className="diff-dot" title="differs between copies" /> : null}
            </th>
            {r.values.map((v, i) => (
              <td
                key={detail.members[i]?.asset.id ?? i}
                className={r.differsFromKeeper[i] ? 'diff-cell' : ''}
              >
                {v}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
