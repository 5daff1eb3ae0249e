import type { ComparedField, DuplicateDetail } from '../api/types';
import { formatBytes, formatDateTime } from '../ui/format';

/** One row of the side-by-side metadata table: a value per member, and which cells stand out. */
export interface DiffRow {
  field: ComparedField;
  label: string;
  values: string[];
  /** True when not every member has the same value. */
  differs: boolean;
  /** Per member: its value is not the keeper's (highlighted in the table). */
  differsFromKeeper: boolean[];
}

const labels: Record<ComparedField, string> = {
  resolution: 'Resolution',
  sizeBytes: 'File size',
  format: 'Format',
  capturedAt: 'Taken',
  camera: 'Camera',
  folder: 'Folder',
  quality: 'Sharpness',
};

const order: ComparedField[] = [
  'resolution',
  'sizeBytes',
  'format',
  'capturedAt',
  'camera',
  'folder',
  'quality',
];

function display(field: ComparedField, value: string | number | null): string {
  if (value === null || value === '') return '—';
  if (field === 'sizeBytes' && typeof value === 'number') return formatBytes(value);
  if (field === 'capturedAt' && typeof value === 'string') return formatDateTime(value);
  return String(value);
}

/**
 * The metadata diff of a group. Equality is decided on the raw values (two sizes that format to
 * the same "2.1 MB" still differ); the keeper is the first member marked to keep, or the
 * server's recommended keeper.
 */
export function metadataDiff(detail: Pick<DuplicateDetail, 'members'>, keeperId?: string): DiffRow[] {
  const members = detail.members;
  const keeperIndex = Math.max(
    0,
    members.findIndex((m) => (keeperId ? m.asset.id === keeperId : m.isKeeper)),
  );
  return order.map((field) => {
    const raw = members.map((m) => JSON.stringify(m.compared[field] ?? null));
    const keeperRaw = raw[keeperIndex];
    return {
      field,
      label: labels[field],
      values: members.map((m) => display(field, m.compared[field] ?? null)),
      differs: new Set(raw).size > 1,
      differsFromKeeper: raw.map((r, i) => i !== keeperIndex && r !== keeperRaw),
    };
  });
}
