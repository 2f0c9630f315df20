#!/usr/bin/env bash
# Runs a command with throwaway test services on loopback: a PostgreSQL server (installed from Debian when
# missing) and an S3-compatible server (moto, from PyPI into .deps/venv), both stopped at the end.
# Exports MICROANPR_TEST_POSTGRES_URL and MICROANPR_TEST_S3_ENDPOINT for the tests. MICROANPR_TEST_POSTGRES_SETTINGS
# adds server settings (`-c name=value ...`; benchmarks turn durability back on and size the caches).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.deps/venv
MOTO_VERSION=5.2.1

source scripts/need-tool.sh

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  echo "test-services: installing PostgreSQL from Debian" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(pg_bin)
# Debian tools the tests drive: poppler-utils renders and reads the PDF reports; ffmpeg serves a video as an
# HTTP MJPEG camera (the reconnect test); Prometheus scrapes the metrics endpoint.
need_tool pdftoppm poppler-utils
need_tool ffmpeg ffmpeg
need_tool prometheus prometheus  # scrapes /metrics in PrometheusScrapeTests
need_tool openssl openssl  # the test PostgreSQL server's TLS certificates

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import moto.server, flask_cors" 2>/dev/null; then
  echo "test-services: installing moto[server]==$MOTO_VERSION into .deps/venv" >&2
  "$VENV/bin/pip" install -q "moto[server]==$MOTO_VERSION"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/microanpr-services.XXXXXX)
chmod 755 "$WORK"
PGPORT=$(free_port)
S3PORT=$(free_port)
MOTO_PID=
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  run_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/pg"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK/pg"
run_pg "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres -E UTF8 --locale=C >/dev/null
# TLS offered beside plain connections, with a certificate for localhost and 127.0.0.1 signed by a throwaway CA, so that
# the tests can check what each sslmode of a database URL does (plain connections stay the default on loopback).
mkdir -p "$WORK/tls"
(
  cd "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=MicroANPR test CA" -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt 2>/dev/null
  chmod 600 server.key
  [ "$(id -u)" -eq 0 ] && chown postgres server.key server.crt
) || { echo "test-services: openssl could not make the test certificates" >&2; exit 1; }
run_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
  -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300 -c ssl=on -c ssl_cert_file=$WORK/tls/server.crt -c ssl_key_file=$WORK/tls/server.key ${MICROANPR_TEST_POSTGRES_SETTINGS:-}" start >/dev/null

"$VENV/bin/python" -m moto.server -H 127.0.0.1 -p "$S3PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $S3PORT), 1)" 2>/dev/null && break
  sleep 0.2
done

export MICROANPR_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
# The CA that signed the server's certificate (sslrootcert in a database URL).
export MICROANPR_TEST_POSTGRES_CA="$WORK/tls/ca.crt"
# The same server through its Unix socket (`-k` above), as a database URL names it (libpq's `host` parameter).
export MICROANPR_TEST_POSTGRES_SOCKET_URL="postgres://postgres@/postgres?host=$WORK/pg&port=$PGPORT"
export MICROANPR_TEST_S3_ENDPOINT="http://127.0.0.1:$S3PORT"
export MICROANPR_TEST_REQUIRE_SERVICES=1
# Temporary files of the tests (their folders, browser profiles, servers' media) go under this run's folder, which
# the exit trap removes: a test that fails or is killed midway leaves nothing behind in /tmp.
mkdir -p "$WORK/tmp"
export TMPDIR="$WORK/tmp"
echo "test-services: PostgreSQL on 127.0.0.1:$PGPORT, S3 (moto) on 127.0.0.1:$S3PORT" >&2
"$@"
