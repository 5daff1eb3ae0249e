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

echo "helm: lint --strict and template deploy/helm/photo-sync (helm from the npm registry: scripts/helm.sh)"
chart=deploy/helm/photo-sync
bash scripts/helm.sh lint --strict "$chart" -f deploy/helm/ci/values-ci.yaml
if out=$(bash scripts/helm.sh template ps "$chart" 2>&1); then
  echo "helm template rendered the chart without its required values"; exit 1
fi
echo "  refused without values: $(echo "$out" | grep -o '[a-zA-Z.]* is required' | sort -u | tr '\n' ' ')"
bash scripts/helm.sh template ps "$chart" -f deploy/helm/ci/values-ci.yaml \
  --set ingress.enabled=true --set image.registry=registry.example.org > "$work/helm.yaml"
python3 - "$work/helm.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
def fail(msg): sys.exit(f"helm template: {msg}")
def container(d): return d["spec"]["template"]["spec"]["containers"][0]
def env(c): return {e["name"]: e for e in c["env"]}
for role in ("server", "worker", "scheduler"):
    d = by.get(("Deployment", f"ps-photo-sync-{role}")) or fail(f"no {role} Deployment")
    c = container(d)
    if c["args"] != [role]: fail(f"{role} runs {c['args']}")
    if not c["image"].startswith(f"registry.example.org/photo-sync/{role}:"): fail(f"{role} image {c['image']}")
    e = env(c)
    for name, secret in (("DATABASE_URL", "photo-sync-db"), ("REDIS_URL", "photo-sync-redis"), ("JWT_SECRET", "photo-sync-jwt")):
        if e[name].get("valueFrom", {}).get("secretKeyRef", {}).get("name") != secret: fail(f"{role} {name} not from Secret {secret}")
    vols = {v["name"]: v for v in d["spec"]["template"]["spec"]["volumes"]}
    if vols["library"]["persistentVolumeClaim"] != {"claimName": "photos", "readOnly": True}: fail(f"{role} library {vols['library']}")
    if vols["data"]["persistentVolumeClaim"]["claimName"] != "photo-sync-data": fail(f"{role} data {vols['data']}")
    if c["securityContext"].get("readOnlyRootFilesystem") is not True: fail(f"{role} root filesystem writable")
server = container(by[("Deployment", "ps-photo-sync-server")])
if server["livenessProbe"]["httpGet"]["path"] != "/health" or server["readinessProbe"]["httpGet"]["path"] != "/health/ready":
    fail("server probes must be /health (liveness) and /health/ready (readiness)")
for role in ("worker", "scheduler"):
    probe = container(by[("Deployment", f"ps-photo-sync-{role}")])["livenessProbe"]["exec"]["command"]
    if "/tmp/photo-sync.heartbeat" not in " ".join(probe): fail(f"{role} liveness is not the heartbeat")
job = by.get(("Job", "ps-photo-sync-migrate")) or fail("no migrate Job")
hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
if hooks != {"pre-install", "pre-upgrade"}: fail(f"migrate hooks {hooks}")
if container(job)["args"] != ["migrate"]: fail("migrate Job does not migrate")
ing = by.get(("Ingress", "ps-photo-sync")) or fail("no Ingress with ingress.enabled")
if ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] != "ps-photo-sync-server": fail("ingress backend")
if any(d["kind"] in ("StatefulSet", "PersistentVolumeClaim", "Secret") for d in docs): fail("the chart must not create databases, PVCs or Secrets")
print(f"  rendered {len(docs)} objects: " + ", ".join(sorted(f"{k}/{n}" for k, n in by)))
PY

echo "nginx: -t with a throwaway certificate"
mkdir -p "$work/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null
sed -e "s#/etc/nginx/tls/#$work/tls/#" -e 's#server server:3000#server 127.0.0.1:3000#' \
  deploy/nginx/nginx.conf > "$work/nginx.conf"
nginx -t -c "$work/nginx.conf"
echo "deployment files valid"
