#!/usr/bin/env bash
# Validates the deployment files without a Docker engine: both compose profiles (and that the
# prod profile refuses to start without its secrets), the Caddyfile, and the nginx config.
# Needs docker-compose, caddy and nginx (Debian packages); .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "compose: dev profile"
docker-compose --env-file .env.dev config -q
echo "compose: prod profile"
docker-compose --env-file .env.prod.example --profile prod config -q
echo "compose: prod without secrets must be refused"
: > "$work/empty.env"
if out=$(env -u POSTGRES_PASSWORD -u JWT_SECRET docker-compose --env-file "$work/empty.env" --profile prod config -q 2>&1); then
  echo "compose accepted a prod config without POSTGRES_PASSWORD/JWT_SECRET"; exit 1
fi
echo "  refused: $(echo "$out" | tail -1)"

echo "caddy: public domain (ACME) and LAN (tls internal)"
PHOTO_SYNC_DOMAIN=photos.example.org CADDY_TLS=admin@example.org PHOTO_SYNC_UPSTREAMS="server:3000" \
  caddy validate --config deploy/caddy/Caddyfile --adapter caddyfile >"$work/caddy.log" 2>&1 \
  || { cat "$work/caddy.log"; exit 1; }
PHOTO_SYNC_DOMAIN=photos.lan CADDY_TLS=internal PHOTO_SYNC_UPSTREAMS="server-1:3000 server-2:3000" \
  caddy validate --config deploy/caddy/Caddyfile --adapter caddyfile >"$work/caddy.log" 2>&1 \
  || { cat "$work/caddy.log"; exit 1; }

echo "nginx: -t with a throwaway certificate"
mkdir -p "$work/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null
sed -e "s#/etc/nginx/tls/#$work/tls/#" -e 's#server server:3000#server 127.0.0.1:3000#' \
  deploy/nginx/nginx.conf > "$work/nginx.conf"
nginx -t -c "$work/nginx.conf"
echo "deployment files valid"
