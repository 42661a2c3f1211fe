#!/usr/bin/env bash
# The container images' entry point (docker/entrypoint.sh) and configuration (docker/souk.yaml)
# outside a container: soukd starts on them with TLS and API keys switched on by the mounted
# files, answers `souk health` and an authenticated `souk query` over TLS, and a missing or bad
# configuration stops it before it listens.
# Usage: entrypoint_test.sh path/to/souk path/to/soukd
set -euo pipefail
souk=$1
soukd=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
entrypoint=$here/docker/entrypoint.sh
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -KILL "$server_pid" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$souk" gen --out "$tmp/shop" --seed 3 --products 200 --users 10 --sessions 10 > /dev/null
"$souk" index --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/index" > /dev/null
title=$(head -n 1 "$tmp/shop/catalog.jsonl" | sed -E 's/.*"title":"([^"]+)".*/\1/')

# What a deployment mounts: a TLS secret (tls.crt, tls.key) and an API key file.
mkdir -p "$tmp/tls" "$tmp/keys"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout "$tmp/tls/tls.key" -out "$tmp/tls/tls.crt" 2> /dev/null || fail "openssl req"
"$souk" apikey --name storefront --roles query > "$tmp/apikey.out"
key=$(sed -n 's/^key: //p' "$tmp/apikey.out")
{ echo "keys:"; grep "^- {name" "$tmp/apikey.out" | sed 's/^/  /'; } > "$tmp/keys/keys.yaml"

# The image's configuration, on loopback and this index instead of the container's paths.
export SOUKD=$soukd SOUK_CONFIG=$here/docker/souk.yaml SOUK_TLS_DIR=$tmp/tls \
  SOUK_KEY_FILE=$tmp/keys/keys.yaml
overrides=(--set server.address=127.0.0.1:0 --set server.metrics_address=127.0.0.1:0
           --set "index.dir=$tmp/index" --set logging.json=false)
"$entrypoint" "${overrides[@]}" > "$tmp/soukd.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "serving on port" "$tmp/soukd.out" && break; sleep 0.1; done
port=$(sed -nE 's/.*serving on port ([0-9]+).*/\1/p' "$tmp/soukd.out")
[[ -n $port ]] || fail "soukd did not start from the entrypoint: $(cat "$tmp/soukd.out")"
grep -q "(TLS), API keys required" "$tmp/soukd.out" || fail "TLS and keys not on: $(cat "$tmp/soukd.out")"

tls=(--server "127.0.0.1:$port" --tls-ca "$tmp/tls/tls.crt" --tls-server-name localhost)
"$souk" health "${tls[@]}" > "$tmp/health.out" || fail "souk health: $(cat "$tmp/health.out")"
grep -q "^SERVING$" "$tmp/health.out" || fail "health: $(cat "$tmp/health.out")"
if "$souk" health --server "127.0.0.1:$port" --timeout-ms 500 2> /dev/null; then
  fail "a plaintext health check passed a TLS port"
fi
SOUK_API_KEY=$key "$souk" query "${tls[@]}" "$title" > "$tmp/query.out" ||
  fail "query over TLS with the key: $(cat "$tmp/query.out")"
if "$souk" query "${tls[@]}" "$title" 2> "$tmp/err"; then fail "query without a key"; fi
grep -q "UNAUTHENTICATED" "$tmp/err" || fail "keyless query: $(cat "$tmp/err")"
grep -q '"component":"access"\|\[access\] Search code=OK' "$tmp/soukd.out" ||
  fail "no access log line: $(cat "$tmp/soukd.out")"
kill -TERM "$server_pid"
wait "$server_pid" || fail "soukd exited with $? after SIGTERM"
server_pid=
if "$souk" health --server "127.0.0.1:$port" --timeout-ms 500 2> /dev/null; then
  fail "souk health passed with the server stopped"
fi

# A missing configuration, then a bad one: refused before anything listens.
if SOUK_CONFIG=$tmp/none.yaml "$entrypoint" 2> "$tmp/err"; then fail "started without a config"; fi
grep -q "no readable configuration at $tmp/none.yaml" "$tmp/err" || fail "missing: $(cat "$tmp/err")"
printf 'server: {adress: x}\n' > "$tmp/bad.yaml"
if SOUK_CONFIG=$tmp/bad.yaml "$entrypoint" 2> "$tmp/err"; then fail "started on a bad config"; fi
grep -q "server.adress: unknown key" "$tmp/err" || fail "bad config: $(cat "$tmp/err")"
echo "entrypoint test: ok"
