/**
 * Exports of decisions recorded for a read-only library: a CSV move list and a shell script the
 * owner reviews and runs. The script only moves (`mv -n`, never `rm`) into a folder they choose.
 */
export interface RecordedRemoval {
  itemId: string;
  assetId: string;
  path: string;
  keeperPaths: string[];
  reason: string | null;
  decidedAt: Date;
}

function csvField(value: string): string {
  // Quote everything; a leading formula character is defused for spreadsheet apps.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function moveListCsv(rows: readonly RecordedRemoval[]): string {
  const header = ['item_id', 'asset_id', 'path', 'kept_copies', 'reason', 'decided_at'];
  const lines = rows.map((r) =>
    [r.itemId, r.assetId, r.path, r.keeperPaths.join(' | '), r.reason ?? '', r.decidedAt.toISOString()]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** POSIX single-quoting: safe for any byte sequence except NUL (which paths cannot contain). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function moveListScript(libraryName: string, rows: readonly RecordedRemoval[]): string {
  const lines = [
    '#!/bin/sh',
    `# photo-sync: removals decided for the read-only library ${JSON.stringify(libraryName)}.`,
    '# Review before running. Each file is MOVED (never deleted) into $DEST, keeping its name;',
    '# an existing file there is never overwritten (mv -n). Undo: move the files back.',
    'set -eu',
    'DEST="${DEST:-./photo-sync-removed}"',
    'mkdir -p -- "$DEST"',
    'moved=0; skipped=0',
    'move() {',
    '  if [ -f "$1" ]; then mkdir -p -- "$DEST/$2" && mv -n -- "$1" "$DEST/$2/" && moved=$((moved + 1));',
    '  else echo "skipped (not found): $1" >&2; skipped=$((skipped + 1)); fi',
    '}',
    '',
  ];
  for (const r of rows) {
    lines.push(`# kept: ${r.keeperPaths.join(', ').replace(/[\r\n]/g, ' ')}`);
    lines.push(`move ${shellQuote(r.path)} ${shellQuote(r.itemId)}`);
  }
  lines.push('', 'echo "moved $moved file(s), skipped $skipped; they are in $DEST"', '');
  return lines.join('\n');
}
