#!/usr/bin/env bash
# `make run`: serve with the embedded defaults. On the very first run, create a tenant (its API key is shown
# once and kept in ./data/first-tenant.json, mode 0600) and invite its owner to the dashboard (the link sets
# the owner's password; it is kept in ./data/owner-invite.json, mode 0600, and valid for 7 days).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/microanpr
DATA=${MICROANPR_DATA_DIR:-./data}
mkdir -p "$DATA"
URL="http://${MICROANPR_HOST:-127.0.0.1}:${MICROANPR_PORT:-8080}"
if [ ! -e "$DATA/first-tenant.json" ] && [ -z "${MICROANPR_DATABASE_URL:-}" ]; then
  (umask 077 && "$BIN" tenant create "default" --plan enterprise --data-dir "$DATA" > "$DATA/first-tenant.json")
  echo "Created tenant 'default'; its API key (shown once, also in $DATA/first-tenant.json):"
  cat "$DATA/first-tenant.json"
  TENANT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenant_id"])' "$DATA/first-tenant.json")
  (umask 077 && "$BIN" user add "$TENANT" --email "${MICROANPR_OWNER_EMAIL:-owner@example.com}" --role owner \
     --public-url "${MICROANPR_PUBLIC_URL:-$URL}" --data-dir "$DATA" > "$DATA/owner-invite.json")
  echo "Dashboard: open this link to set the owner's password (${MICROANPR_OWNER_EMAIL:-owner@example.com}), then sign in at $URL/ :"
  python3 -c 'import json,sys; print("  " + json.load(open(sys.argv[1]))["invite_url"])' "$DATA/owner-invite.json"
fi
echo "Dashboard at $URL/ , API at $URL/v1 (OpenAPI at $URL/openapi.json)"
# Plain http on this machine: the session cookie cannot be Secure here (behind https, leave the default on).
case "${MICROANPR_HOST:-127.0.0.1}" in 127.0.0.1|localhost|::1) export MICROANPR_SECURE_COOKIES=${MICROANPR_SECURE_COOKIES:-0} ;; esac
exec "$BIN" serve --data-dir "$DATA"
