#!/usr/bin/env bash
# The souk CLI end to end on a small demo shop: gen -> index -> search (table and TREC run) ->
# eval, plus the errors a user meets first. Usage: cli_test.sh path/to/souk
set -euo pipefail
souk=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$souk" gen --out "$tmp/shop" --seed 7 --products 400 --users 40 --sessions 80 > "$tmp/gen.out"
grep -q "400 products" "$tmp/gen.out" || fail "gen summary: $(cat "$tmp/gen.out")"
"$souk" gen --out "$tmp/shop2" --seed 7 --products 400 --users 40 --sessions 80 > /dev/null
cmp -s "$tmp/shop/catalog.jsonl" "$tmp/shop2/catalog.jsonl" || fail "gen is not deterministic"

"$souk" index --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/index" > "$tmp/index.out"
grep -q "indexed 400 products" "$tmp/index.out" || fail "index summary: $(cat "$tmp/index.out")"

# A product's own title must find it at rank 1..10.
line=$(head -n 1 "$tmp/shop/catalog.jsonl")
id=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<< "$line")
title=$(sed -E 's/.*"title":"([^"]+)".*/\1/' <<< "$line")
"$souk" search --index "$tmp/index" --k 10 "$title" > "$tmp/table.out"
grep -q "$id" "$tmp/table.out" || fail "searching '$title' did not find $id: $(cat "$tmp/table.out")"

printf 'q1\t%s\nq2\tzzzzqqq nothing\n' "$title" > "$tmp/queries.tsv"
"$souk" search --index "$tmp/index" --queries "$tmp/queries.tsv" --k 5 --output "$tmp/run.txt" 2> /dev/null
awk 'NF != 6 {exit 1}' "$tmp/run.txt" || fail "run lines must have 6 fields"
grep -q "^q1 Q0 $id " "$tmp/run.txt" || fail "run misses q1 -> $id"

printf 'query_id\tquery\tproduct_uid\trelevance\nq1\t%s\t%s\t3\n' "$title" "$id" > "$tmp/qrels.tsv"
"$souk" eval --qrels "$tmp/qrels.tsv" --run "$tmp/run.txt" --k 10 --recall-k 5 > "$tmp/eval.out"
grep -q "Recall@5 1.0000" "$tmp/eval.out" || fail "eval: $(cat "$tmp/eval.out")"

# Errors name what was wrong and exit non-zero.
if "$souk" index --catalog "$tmp/missing.tsv" --out "$tmp/x" 2> "$tmp/err"; then fail "missing catalog accepted"; fi
grep -q "missing.tsv" "$tmp/err" || fail "missing catalog error: $(cat "$tmp/err")"
if "$souk" index --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/shop" 2> "$tmp/err"; then
  fail "index over the shop directory accepted"
fi
grep -q "not a Souk index directory" "$tmp/err" || fail "overwrite error: $(cat "$tmp/err")"
[[ -f $tmp/shop/events.jsonl ]] || fail "the shop directory was damaged"
if "$souk" search --index "$tmp/index" --bogus 1 "x" 2> "$tmp/err"; then fail "unknown flag accepted"; fi
grep -q "unknown flag --bogus" "$tmp/err" || fail "unknown flag error: $(cat "$tmp/err")"
echo "cli test: ok"
