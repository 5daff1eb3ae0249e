#!/usr/bin/env bash
# photo-sync backup: the database, the data dir (thumbnails, secrets; the embedded database too)
# and configuration files, into one timestamped folder. See docs/RESTORE.md.
#
#   scripts/backup.sh [--dest DIR] [--keep N] [--data-dir DIR] [--database-url URL] [--config FILE]...
#
# Defaults come from the environment: BACKUP_DIR (./backups), BACKUP_KEEP (keep all), DATA_DIR
# (./data), DATABASE_URL (unset = embedded database inside the data dir).
# PostgreSQL: pg_dump runs while photo-sync runs (a consistent snapshot).
# Embedded (PGlite): STOP photo-sync first — its database files are copied as they are.
set -euo pipefail
# The dump holds password hashes and the data dir the JWT secret: owner-only (files 0600, dirs 0700).
umask 077

dest=${BACKUP_DIR:-./backups}
keep=${BACKUP_KEEP:-0}
data_dir=${DATA_DIR:-./data}
database_url=${DATABASE_URL:-}
configs=()

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --database-url) database_url=$2; shift 2 ;;
    --config) configs+=("$2"); shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "backup: unknown option $1" >&2; usage 2 ;;
  esac
done
case "$keep" in ''|*[!0-9]*) echo "backup: --keep must be a number (0 = keep all), got '$keep'" >&2; exit 2 ;; esac
[ -d "$data_dir" ] || { echo "backup: data dir $data_dir does not exist (set DATA_DIR or --data-dir)" >&2; exit 2; }
if [ -z "$database_url" ] && [ ! -d "$data_dir/db" ]; then
  echo "backup: no DATABASE_URL and no embedded database in $data_dir/db: nothing to back up" >&2; exit 2
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
target="$dest/photo-sync-$stamp"
partial="$target.partial"
rm -rf "$partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

if [ -n "$database_url" ]; then
  backend=postgres
  # Custom format: compressed, restorable table by table, independent of the server's version.
  pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" "$database_url"
  # The embedded database folder, if any, is not in use with PostgreSQL: leave it out.
  tar -C "$data_dir" --exclude=./db -czf "$partial/data.tar.gz" .
else
  backend=pglite
  tar -C "$data_dir" -czf "$partial/data.tar.gz" .
fi

if [ ${#configs[@]} -gt 0 ]; then
  mkdir -p "$partial/config"
  for f in "${configs[@]}"; do
    [ -f "$f" ] || { echo "backup: config file $f does not exist" >&2; exit 2; }
    cp -p "$f" "$partial/config/"
  done
  chmod -R go-rwx "$partial/config"
fi

{
  echo "format=1"
  echo "created=$stamp"
  echo "backend=$backend"
  echo "host=$(hostname)"
} > "$partial/manifest"
(cd "$partial" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
mv "$partial" "$target"
trap - EXIT
echo "backup: wrote $target ($backend, $(du -sh "$target" | cut -f1))"

if [ "$keep" -gt 0 ]; then
  # Newest first by name (the timestamp sorts); everything past the newest $keep goes.
  find "$dest" -maxdepth 1 -type d -name 'photo-sync-*' ! -name '*.partial' | sort -r | tail -n +"$((keep + 1))" |
    while read -r old; do
      rm -rf "$old"
      echo "backup: removed old backup $old (keeping $keep)"
    done
fi
