#!/usr/bin/env bash
# photo-sync restore of a folder written by scripts/backup.sh. See docs/RESTORE.md.
#
#   scripts/restore.sh BACKUP_FOLDER [--data-dir DIR] [--database-url URL] [--config-dir DIR] [--force]
#
# Stop every photo-sync process first. The data dir must be empty (or missing) and the database
# empty (or missing: it is created), unless --force, which replaces what is there.
set -euo pipefail

backup=${1:-}
[ -n "$backup" ] && [ "${backup#-}" = "$backup" ] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
data_dir=${DATA_DIR:-./data}
database_url=${DATABASE_URL:-}
config_dir=
force=false
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir=$2; shift 2 ;;
    --database-url) database_url=$2; shift 2 ;;
    --config-dir) config_dir=$2; shift 2 ;;
    --force) force=true; shift ;;
    *) echo "restore: unknown option $1" >&2; exit 2 ;;
  esac
done

[ -f "$backup/manifest" ] || { echo "restore: $backup is not a photo-sync backup (no manifest)" >&2; exit 2; }
(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || { echo "restore: $backup is damaged (checksums differ); nothing was changed" >&2; exit 1; }
backend=$(sed -n 's/^backend=//p' "$backup/manifest")

if [ "$backend" = postgres ] && [ -z "$database_url" ]; then
  echo "restore: this backup holds a PostgreSQL database: set DATABASE_URL or --database-url" >&2; exit 2
fi
if [ -d "$data_dir" ] && [ -n "$(ls -A "$data_dir")" ] && [ "$force" != true ]; then
  echo "restore: data dir $data_dir is not empty; move it away or use --force to replace it" >&2; exit 2
fi

if [ "$backend" = postgres ]; then
  # postgres://user:pass@host:port/name?options (plain shell: the postgres image has no node).
  rest=${database_url#*://}
  authority=${rest%%/*}
  [ "$authority" != "$rest" ] || { echo "restore: DATABASE_URL names no database" >&2; exit 2; }
  path_query=${rest#*/}
  db_name=${path_query%%\?*}
  query=${path_query#"$db_name"}
  db_name=$(printf '%b' "${db_name//%/\\x}")
  [ -n "$db_name" ] || { echo "restore: DATABASE_URL names no database" >&2; exit 2; }
  maintenance_url="${database_url%%://*}://$authority/postgres$query"
  exists=$(psql "$maintenance_url" -Atc "select 1 from pg_database where datname = '$db_name'")
  if [ "$exists" != 1 ]; then
    psql "$maintenance_url" -qc "create database \"$db_name\""
    echo "restore: created database $db_name"
  else
    tables=$(psql "$database_url" -Atc "select count(*) from information_schema.tables where table_schema = 'public'")
    if [ "$tables" != 0 ] && [ "$force" != true ]; then
      echo "restore: database $db_name already has $tables tables; use --force to replace them" >&2; exit 2
    fi
  fi
  pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error -d "$database_url" "$backup/database.dump"
  echo "restore: database $db_name restored"
fi

if [ "$force" = true ] && [ -d "$data_dir" ]; then
  find "$data_dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
fi
mkdir -p "$data_dir"
tar -C "$data_dir" -xzf "$backup/data.tar.gz"
echo "restore: data dir $data_dir restored ($backend)"

if [ -d "$backup/config" ]; then
  if [ -n "$config_dir" ]; then
    mkdir -p "$config_dir"
    cp -p "$backup"/config/* "$config_dir/"
    echo "restore: configuration files copied to $config_dir"
  else
    echo "restore: configuration files are in $backup/config (use --config-dir to copy them)"
  fi
fi
echo "restore: done. Start photo-sync; it checks the schema (serve migrates, the split processes need 'photo-sync migrate')."
