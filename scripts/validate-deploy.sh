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
# .env.prod.example with only its CHANGE_ME values filled in, as the file asks a self-hoster to.
filled="$work/prod.env"
while IFS= read -r line; do
  case "$line" in
    PHOTO_SYNC_DOMAIN=CHANGE_ME) echo "PHOTO_SYNC_DOMAIN=photos.example.org" ;;
    LIBRARY_PATH=CHANGE_ME) echo "LIBRARY_PATH=$work/photos" ;;
    *=CHANGE_ME) echo "${line%%=*}=$(openssl rand -hex 32)" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < .env.prod.example > "$filled"
if grep -n '^[^#]*CHANGE' "$filled"; then echo ".env.prod.example: a value to change is not marked CHANGE_ME"; exit 1; fi

# Runs caddy validate and caddy adapt with exactly the environment compose gives the caddy
# service, and checks which issuer the site's certificate comes from.
caddy_as_composed() { # compose-config.yml expected-issuer(letsencrypt|internal)
  python3 - "$1" "$2" <<'PY'
import json, os, subprocess, sys, yaml
config, expected = sys.argv[1], sys.argv[2]
svc = yaml.safe_load(open(config))["services"]["caddy"]
env = svc.get("environment") or {}
if isinstance(env, list):
    env = dict(e.split("=", 1) for e in env)
env = {k: "" if v is None else str(v) for k, v in env.items()}
run_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env}
cmd = ["caddy", "validate", "--config", "deploy/caddy/Caddyfile", "--adapter", "caddyfile"]
v = subprocess.run(cmd, env=run_env, capture_output=True, text=True)
if v.returncode != 0:
    sys.exit(f"caddy validate failed with compose's environment {env}:\n{v.stderr[-2000:]}")
a = subprocess.run(["caddy", "adapt", "--config", "deploy/caddy/Caddyfile", "--adapter", "caddyfile"],
                   env=run_env, capture_output=True, text=True, check=True)
domain = env["PHOTO_SYNC_DOMAIN"]
policies = json.loads(a.stdout).get("apps", {}).get("tls", {}).get("automation", {}).get("policies", [])
issuers = [i for p in policies if domain in p.get("subjects", []) for i in p.get("issuers", [])]
lets_encrypt = "https://acme-v02.api.letsencrypt.org/directory"
got = ("letsencrypt" if issuers and all(i.get("module") == "acme" and i.get("ca") == lets_encrypt for i in issuers)
       else "internal" if issuers and all(i.get("module") == "internal" for i in issuers) else repr(issuers))
if got != expected:
    sys.exit(f"{domain} with CADDY_TLS={env.get('CADDY_TLS')!r}: certificate from {got}, expected {expected}")
print(f"  {domain} (CADDY_TLS={env.get('CADDY_TLS')!r}): valid, certificate from {got}")
PY
}

echo "compose: prod profile from .env.prod.example with its CHANGE_ME values filled in; caddy with the caddy service's environment"
docker-compose --env-file "$filled" --profile prod config > "$work/prod.yml"
caddy_as_composed "$work/prod.yml" letsencrypt
sed -e 's/^PHOTO_SYNC_DOMAIN=.*/PHOTO_SYNC_DOMAIN=photos.lan/' -e 's/^CADDY_TLS=.*/CADDY_TLS=internal/' \
  "$filled" > "$work/lan.env"
docker-compose --env-file "$work/lan.env" --profile prod config > "$work/lan.yml"
caddy_as_composed "$work/lan.yml" internal
echo "compose: backup and restore services (--profile prod --profile backup)"
docker-compose --env-file "$filled" --profile prod --profile backup config -q
echo "compose: prod without secrets must be refused"
: > "$work/empty.env"
if out=$(env -u POSTGRES_PASSWORD -u JWT_SECRET docker-compose --env-file "$work/empty.env" --profile prod config -q 2>&1); then
  echo "compose accepted a prod config without POSTGRES_PASSWORD/JWT_SECRET"; exit 1
fi
echo "  refused: $(echo "$out" | tail -1)"

echo "caddy without compose: public domain (CADDY_TLS unset: Let's Encrypt) and LAN (tls internal)"
env -u CADDY_TLS PHOTO_SYNC_DOMAIN=photos.example.org PHOTO_SYNC_UPSTREAMS="server:3000" \
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
