#!/usr/bin/env bash
# `make run`: serve with the embedded defaults; on the very first run create a tenant and show its key.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/microanpr
DATA=${MICROANPR_DATA_DIR:-./data}
mkdir -p "$DATA"
if [ ! -e "$DATA/first-tenant.json" ] && [ -z "${MICROANPR_DATABASE_URL:-}" ]; then
  (umask 077 && "$BIN" tenant create "default" --plan enterprise --data-dir "$DATA" > "$DATA/first-tenant.json")
  echo "Created tenant 'default'; its API key (shown once, also in $DATA/first-tenant.json):"
  cat "$DATA/first-tenant.json"
fi
exec "$BIN" serve --data-dir "$DATA"
