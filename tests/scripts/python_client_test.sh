#!/usr/bin/env bash
# examples/python against a running soukd on a small demo shop: stubs generated from proto/,
# then search (with explanations), recommend, similar items and a logged click (and its
# retry, counted as a duplicate); and souk_reflect.py, which learns the API by reflection.
# Usage: python_client_test.sh path/to/souk path/to/soukd
set -euo pipefail
souk=$1
soukd=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -KILL "$server_pid" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
client() { SOUK_PY_STUBS=$tmp/stubs /usr/bin/python3 "$root/examples/python/souk_client.py" \
  --server "127.0.0.1:$port" "$@"; }

"$root/examples/python/generate_stubs.sh" "$tmp/stubs" > /dev/null
"$souk" gen --out "$tmp/shop" --seed 11 --products 300 --users 30 --sessions 60 > /dev/null
"$souk" index --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/index" > /dev/null
"$root/scripts/demo-interactions.sh" "$tmp/shop/events.jsonl" "$tmp/interactions.txt"
printf "server: {address: '127.0.0.1:0'}\nindex: {dir: '%s'}\nlogging: {level: warn}\n" \
  "$tmp/index" > "$tmp/souk.yaml"
printf "recommend: {interactions: '%s'}\nfeedback: {event_log: '%s'}\n" \
  "$tmp/interactions.txt" "$tmp/events" >> "$tmp/souk.yaml"
"$soukd" --config "$tmp/souk.yaml" > "$tmp/soukd.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "serving on port" "$tmp/soukd.out" && break; sleep 0.1; done
port=$(sed -nE 's/.*serving on port ([0-9]+).*/\1/p' "$tmp/soukd.out")
[[ -n $port ]] || fail "soukd did not start: $(cat "$tmp/soukd.out")"

# A product's own title finds it, with its explanation.
line=$(head -n 1 "$tmp/shop/catalog.jsonl")
id=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<< "$line")
title=$(sed -E 's/.*"title":"([^"]+)".*/\1/' <<< "$line")
client search "$title" --explain > "$tmp/search.out" || fail "search: $(cat "$tmp/search.out")"
grep -qE "^ +[0-9]+ +[0-9.-]+ +$id " "$tmp/search.out" || fail "search misses $id: $(cat "$tmp/search.out")"
grep -qE "^ +bm25 [0-9.]+ \(rank [0-9]+\)" "$tmp/search.out" || fail "no explanation"
request_id=$(sed -nE 's/^request_id (.+)/\1/p' "$tmp/search.out")
[[ -n $request_id ]] || fail "no request id"

# Recommend for a user with a history, and the neighbours of a product.
user=$(awk '{n[$1]++} END {for (u in n) if (n[u] > best) {best = n[u]; who = u}; print who}' "$tmp/interactions.txt")
client recommend --user "$user" --k 5 > "$tmp/recommend.out" || fail "recommend"
[[ $(grep -cE "^ +[0-9]+ " "$tmp/recommend.out") -eq 5 ]] || fail "recommend: $(cat "$tmp/recommend.out")"
client similar "$id" --k 3 > "$tmp/similar.out" || fail "similar"
grep -qE "^ +1 " "$tmp/similar.out" || fail "similar: $(cat "$tmp/similar.out")"
if grep -qE "^ +[0-9]+ +[0-9.]+ +$id " "$tmp/similar.out"; then fail "similar lists $id itself"; fi

# A click on the answer is logged once; the retry with the same event id is a duplicate.
client click --user "$user" --request-id "$request_id" --product "$id" --event-id e-1 \
  > "$tmp/click.out" || fail "click: $(cat "$tmp/click.out")"
grep -q "accepted 1 duplicates 0" "$tmp/click.out" || fail "click: $(cat "$tmp/click.out")"
client click --user "$user" --request-id "$request_id" --product "$id" --event-id e-1 \
  > "$tmp/click.out"
grep -q "accepted 0 duplicates 1" "$tmp/click.out" || fail "retry: $(cat "$tmp/click.out")"
# A refused event names its field and fails the command.
if client click --user "$user" --request-id "$request_id" --product "$id" --position -3 \
  > "$tmp/bad.out"; then fail "a negative position was accepted"; fi
grep -q "position" "$tmp/bad.out" || fail "refusal: $(cat "$tmp/bad.out")"
# The reflection client: the schema from the server, a call in JSON (docs/api.md's walkthrough).
reflect() { SOUK_PY_STUBS=$tmp/stubs /usr/bin/python3 "$root/examples/python/souk_reflect.py" \
  --server "127.0.0.1:$port" "$@"; }
reflect list > "$tmp/services.out" || fail "reflect list"
grep -qx "souk.v1.RecommendService" "$tmp/services.out" || fail "services: $(cat "$tmp/services.out")"
reflect list souk.v1.SearchService > "$tmp/methods.out" || fail "reflect list SearchService"
grep -qF "souk.v1.SearchService.Search(souk.v1.SearchRequest) returns (souk.v1.SearchResponse)" \
  "$tmp/methods.out" || fail "methods: $(cat "$tmp/methods.out")"
reflect describe souk.v1.Explanation > "$tmp/describe.out" || fail "reflect describe"
grep -qF "optional float ranker_score = 6;" "$tmp/describe.out" ||
  fail "describe: $(cat "$tmp/describe.out")"
reflect call souk.v1.SearchService/Search -d "{\"query\": \"$title\", \"page_size\": 5}" \
  > "$tmp/call.out" || fail "reflect call: $(cat "$tmp/call.out")"
grep -q "\"product_id\": \"$id\"" "$tmp/call.out" || fail "reflect call misses $id: $(cat "$tmp/call.out")"
if reflect call souk.v1.SearchService/Search -d '{"query": ""}' 2> "$tmp/err"; then
  fail "an empty query was answered"
fi
grep -q "INVALID_ARGUMENT: query" "$tmp/err" || fail "reflect error: $(cat "$tmp/err")"
if reflect describe souk.v1.Nope 2> "$tmp/err"; then fail "an unknown symbol was described"; fi
grep -q "souk.v1.Nope" "$tmp/err" || fail "unknown symbol: $(cat "$tmp/err")"
echo "PASS"
