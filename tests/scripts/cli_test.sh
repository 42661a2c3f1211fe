#!/usr/bin/env bash
# The souk CLI end to end on a small demo shop: gen -> index -> search (table and TREC run) ->
# eval -> soukd + souk query, the training pipeline (tokenizer -> pretrain -> resume -> finetune
# -> dense -> embed, and sentiment) on a tiny model, the ranker and its retraining from soukd's event log, plus
# the errors a user meets first.
# Usage: cli_test.sh path/to/souk path/to/soukd
set -euo pipefail
souk=$1
soukd=$2
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -KILL "$server_pid" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
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

# The query's terms as the index searched them go to stderr, a synonym's added.
"$souk" search --index "$tmp/index" --set 'lexical.rewrites.synonyms=["zzzsofa => couch"]' \
  "ZZZSofa" > /dev/null 2> "$tmp/terms.err" || fail "search with a synonym"
grep -q "^query terms: zzzsofa couch$" "$tmp/terms.err" || fail "query terms: $(cat "$tmp/terms.err")"

printf 'q1\t%s\nq2\tzzzzqqq nothing\n' "$title" > "$tmp/queries.tsv"
"$souk" search --index "$tmp/index" --queries "$tmp/queries.tsv" --k 5 --output "$tmp/run.txt" 2> /dev/null
awk 'NF != 6 {exit 1}' "$tmp/run.txt" || fail "run lines must have 6 fields"
grep -q "^q1 Q0 $id " "$tmp/run.txt" || fail "run misses q1 -> $id"

printf 'query_id\tquery\tproduct_uid\trelevance\nq1\t%s\t%s\t3\n' "$title" "$id" > "$tmp/qrels.tsv"
"$souk" eval --qrels "$tmp/qrels.tsv" --run "$tmp/run.txt" --k 10 --recall-k 5 > "$tmp/eval.out"
grep -q "Recall@5 1.0000" "$tmp/eval.out" || fail "eval: $(cat "$tmp/eval.out")"

# The server answers `souk query` over gRPC on loopback, then drains on SIGTERM. It recommends
# from the shop's histories.
"$(dirname "$0")/../../scripts/demo-interactions.sh" "$tmp/shop/events.jsonl" \
  "$tmp/interactions.txt" || fail "demo-interactions.sh"
[[ -s $tmp/interactions.txt ]] || fail "no interactions from the shop's events"
printf "server: {address: '127.0.0.1:0'}\nindex: {dir: '%s'}\nlogging: {level: warn}\n" \
  "$tmp/index" > "$tmp/souk.yaml"
printf "recommend: {interactions: '%s'}\n" "$tmp/interactions.txt" >> "$tmp/souk.yaml"
printf "feedback: {event_log: '%s'}\n" "$tmp/events" >> "$tmp/souk.yaml"
"$soukd" --config "$tmp/souk.yaml" > "$tmp/soukd.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "serving on port" "$tmp/soukd.out" && break; sleep 0.1; done
port=$(sed -nE 's/.*serving on port ([0-9]+).*/\1/p' "$tmp/soukd.out")
[[ -n $port ]] || fail "soukd did not start: $(cat "$tmp/soukd.out")"
"$souk" query --server "127.0.0.1:$port" --k 10 "$title" > "$tmp/query.out"
grep -q "$id" "$tmp/query.out" || fail "souk query did not find $id: $(cat "$tmp/query.out")"
if "$souk" query --server "127.0.0.1:$port" --k 0 "x" 2> "$tmp/err"; then fail "page size 0 accepted"; fi
grep -q "INVALID_ARGUMENT: page_size" "$tmp/err" || fail "query error: $(cat "$tmp/err")"
# souk load: a bounded closed loop on 2 connections, then an open loop, all answered.
"$souk" load --server "127.0.0.1:$port" --queries "$tmp/queries.tsv" --clients 2 --requests 30 \
  --warmup 2 --json > "$tmp/load.out"
grep -q '"mode":"closed","clients":2,"rate":0,"requests":30,"errors":0' "$tmp/load.out" ||
  fail "souk load: $(cat "$tmp/load.out")"
"$souk" load --server "127.0.0.1:$port" --queries "$tmp/queries.tsv" --rate 200 --requests 20 \
  > "$tmp/load.out"
grep -q "open loop, 1 clients: 20 requests, 0 errors" "$tmp/load.out" ||
  fail "souk load --rate: $(cat "$tmp/load.out")"
# Recommend for the shop's users and SimilarItems for its products, all answered.
awk '{print "u" NR "\t" $1}' "$tmp/interactions.txt" | head -n 20 > "$tmp/users.tsv"
"$souk" load --server "127.0.0.1:$port" --rpc recommend --queries "$tmp/users.tsv" --requests 20 \
  --json > "$tmp/load.out"
grep -q '"rpc":"recommend","mode":"closed","clients":1,"rate":0,"requests":20,"errors":0' \
  "$tmp/load.out" || fail "souk load --rpc recommend: $(cat "$tmp/load.out")"
awk '{print "p" NR "\t" $2}' "$tmp/interactions.txt" | head -n 20 > "$tmp/products.tsv"
"$souk" load --server "127.0.0.1:$port" --rpc similar --queries "$tmp/products.tsv" --requests 20 \
  --json > "$tmp/load.out"
grep -q '"rpc":"similar","mode":"closed","clients":1,"rate":0,"requests":20,"errors":0' \
  "$tmp/load.out" || fail "souk load --rpc similar: $(cat "$tmp/load.out")"
# LogEvents: 10 requests of 8 of the shop's events from 2 connections, every one stored once.
"$souk" load --server "127.0.0.1:$port" --rpc events --events "$tmp/shop/events.jsonl" --batch 8 \
  --clients 2 --requests 10 --json > "$tmp/load.out"
grep -q '"rpc":"events","mode":"closed","clients":2,"rate":0,"requests":10,"errors":0' \
  "$tmp/load.out" || fail "souk load --rpc events: $(cat "$tmp/load.out")"
"$souk" events export --log "$tmp/events" --out "$tmp/logged.jsonl" > /dev/null 2>&1
[[ $(grep -c '"event_id":"[^"]*-r[0-9]*\.[0-9]*"' "$tmp/logged.jsonl") -eq 80 ]] ||
  fail "souk load --rpc events stored $(wc -l < "$tmp/logged.jsonl") events, not 80"
if "$souk" load --server "127.0.0.1:$port" --rpc events 2> "$tmp/err"; then
  fail "souk load --rpc events ran without --events"
fi
grep -q "missing required flag(s): --events" "$tmp/err" || fail "load events error: $(cat "$tmp/err")"
if "$souk" load --server "127.0.0.1:$port" --queries "$tmp/queries.tsv" --clients 0 2> "$tmp/err"; then
  fail "souk load accepted 0 clients"
fi
grep -q "clients must be 1..1024, got 0" "$tmp/err" || fail "load error: $(cat "$tmp/err")"
kill -TERM "$server_pid"
for _ in $(seq 100); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2> /dev/null; then fail "soukd still running 10 s after SIGTERM"; fi
wait "$server_pid" || fail "soukd exited with $? after SIGTERM"
server_pid=

# API keys: `souk apikey` makes a key and its config entry; soukd then serves only callers with
# a key of the right role, and the client commands send it from SOUK_API_KEY or --api-key.
"$souk" apikey --name shop --roles query,feedback > "$tmp/apikey.out" || fail "souk apikey"
key=$(sed -n 's/^key: //p' "$tmp/apikey.out")
[[ ${#key} -eq 64 ]] || fail "souk apikey printed no key: $(cat "$tmp/apikey.out")"
grep -v "$key" "$tmp/apikey.out" | grep -q "^- {name: shop, key_sha256: [0-9a-f]\{64\}, roles: \[query, feedback\]}" ||
  fail "souk apikey entry: $(cat "$tmp/apikey.out")"
if "$souk" apikey --name x --roles root 2> "$tmp/err"; then fail "souk apikey took role root"; fi
grep -q "unknown role 'root'" "$tmp/err" || fail "apikey error: $(cat "$tmp/err")"
{ echo "keys:"; grep "^- {name" "$tmp/apikey.out" | sed 's/^/  /'; } > "$tmp/keys.yaml"
printf "server: {address: '127.0.0.1:0', auth: {key_file: '%s'}}\nindex: {dir: '%s'}\n" \
  "$tmp/keys.yaml" "$tmp/index" > "$tmp/keyed.yaml"
"$soukd" --config "$tmp/keyed.yaml" > "$tmp/keyed.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "serving on port" "$tmp/keyed.out" && break; sleep 0.1; done
port=$(sed -nE 's/.*serving on port ([0-9]+).*/\1/p' "$tmp/keyed.out")
[[ -n $port ]] || fail "soukd did not start with keys: $(cat "$tmp/keyed.out")"
grep -q "API keys required" "$tmp/keyed.out" || fail "soukd did not announce keys"
if "$souk" query --server "127.0.0.1:$port" "$title" 2> "$tmp/err"; then fail "query without a key"; fi
grep -q "UNAUTHENTICATED: no API key" "$tmp/err" || fail "keyless query: $(cat "$tmp/err")"
SOUK_API_KEY=$key "$souk" query --server "127.0.0.1:$port" "$title" > "$tmp/query.out" ||
  fail "query with the key: $(cat "$tmp/query.out")"
grep -q "$id" "$tmp/query.out" || fail "keyed query did not find $id"
"$souk" load --server "127.0.0.1:$port" --api-key "$key" --queries "$tmp/queries.tsv" \
  --requests 5 --json > "$tmp/load.out"
grep -q '"requests":5,"errors":0' "$tmp/load.out" || fail "keyed load: $(cat "$tmp/load.out")"
if "$souk" admin stats --server "127.0.0.1:$port" --api-key "$key" 2> "$tmp/err"; then
  fail "a query key read admin stats"
fi
grep -q "PERMISSION_DENIED: API key 'shop' lacks the 'admin' role" "$tmp/err" ||
  fail "admin with a query key: $(cat "$tmp/err")"
kill -TERM "$server_pid"
wait "$server_pid" || fail "keyed soukd exited with $? after SIGTERM"
server_pid=

# Training, tiny: the flags reach the trainers and each step's output feeds the next.
"$souk" train tokenizer --catalog "$tmp/shop/catalog.jsonl" --reviews "$tmp/shop/events.jsonl" \
  --out "$tmp/tok" --vocab-size 1500 > /dev/null 2>&1 || fail "train tokenizer"
[[ -f $tmp/tok/spiece.model ]] || fail "no spiece.model"
[[ $(echo "Cordless Drills, 18V" | "$souk" analyze) == "cordless drill 18 v" ]] || fail "souk analyze"
[[ $(echo "Drills" | "$souk" analyze --no-stem) == "drills" ]] || fail "souk analyze --no-stem"
"$souk" train tokenizer --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/wtok" --analyze \
  --model-type word --vocab-size 100 > /dev/null 2>&1 || fail "train tokenizer --analyze word"
grep -q '"stem_english": true' "$tmp/wtok/tokenizer_config.json" || fail "no analyzer config"
if "$souk" train tokenizer --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/wtok" \
  --model-type bpe 2> "$tmp/err" > /dev/null; then
  fail "train tokenizer --model-type bpe succeeded"
fi
grep -q "model-type: expected unigram or word" "$tmp/err" || fail "--model-type error: $(cat "$tmp/err")"
tiny=(--layers 1 --hidden 32 --heads 2 --max-length 24 --batch 8 --steps 6 --device cpu --threads 1
      --no-plot --log-every 1)
"$souk" train pretrain --tokenizer "$tmp/tok" --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/pre" \
  "${tiny[@]}" --stop-after 3 > "$tmp/pre.out" 2> "$tmp/pre.err" || fail "pretrain: $(cat "$tmp/pre.err")"
grep -q "stopped early" "$tmp/pre.out" || fail "pretrain --stop-after: $(cat "$tmp/pre.out")"
"$souk" train pretrain --tokenizer "$tmp/tok" --catalog "$tmp/shop/catalog.jsonl" --out "$tmp/pre" \
  "${tiny[@]}" --resume > "$tmp/pre.out" 2> "$tmp/pre.err" || fail "pretrain --resume: $(cat "$tmp/pre.err")"
grep -q "pretrain: 6 steps" "$tmp/pre.out" || fail "pretrain resume summary: $(cat "$tmp/pre.out")"
grep -q "resuming at step 3" "$tmp/pre.err" || fail "pretrain did not resume: $(cat "$tmp/pre.err")"
[[ $(grep -c '"kind":"train"' "$tmp/pre/metrics.jsonl") -eq 6 ]] || fail "metrics.jsonl steps"
"$souk" train finetune --model "$tmp/pre" --catalog "$tmp/shop/catalog.jsonl" \
  --sessions "$tmp/shop/events.jsonl" --positive-min-grade 1 --out "$tmp/ft" --epochs 1 --batch 8 \
  --device cpu --threads 1 --no-plot > "$tmp/ft.out" 2> "$tmp/ft.err" || fail "finetune: $(cat "$tmp/ft.err")"
grep -q "best model" "$tmp/ft.out" || fail "finetune summary: $(cat "$tmp/ft.out")"
"$souk" dense --model "$tmp/ft" --catalog "$tmp/shop/catalog.jsonl" --queries "$tmp/queries.tsv" \
  --k 5 --device cpu --output "$tmp/dense.txt" 2> /dev/null || fail "souk dense"
[[ $(grep -c "^q1 Q0 " "$tmp/dense.txt") -eq 5 ]] || fail "dense run: $(cat "$tmp/dense.txt")"
# Spelling correction applies to models that read analyzed text only: not this one.
"$souk" dense --model "$tmp/ft" --catalog "$tmp/shop/catalog.jsonl" --queries "$tmp/queries.tsv" \
  --k 5 --device cpu --no-spelling --output "$tmp/dense-typed.txt" 2> /dev/null ||
  fail "souk dense --no-spelling"
cmp -s "$tmp/dense.txt" "$tmp/dense-typed.txt" || fail "--no-spelling changed a plain model's run"
[[ $(echo "$title" | "$souk" embed --model "$tmp/ft" 2> /dev/null | tr ',' '\n' | wc -l) -eq 32 ]] ||
  fail "embed with the fine-tuned model"
printf 'query_id\tquery\tproduct_uid\trelevance\nq1\tx\tnope\t3\n' > "$tmp/bad-qrels.tsv"
if "$souk" train finetune --model "$tmp/pre" --catalog "$tmp/shop/catalog.jsonl" \
  --qrels "$tmp/bad-qrels.tsv" --out "$tmp/ft2" 2> "$tmp/err" > /dev/null; then
  fail "finetune accepted a qrels file naming an unknown product"
fi
grep -q "nope" "$tmp/err" || fail "unknown product error: $(cat "$tmp/err")"

# Review sentiment: fine-tuned from the pre-trained model, then read by `souk sentiment`.
{ echo "cat,label,review"; for i in $(seq 40); do echo "书籍,1,很好 喜欢 $i"; echo "水果,0,很差 $i"; done; } \
  > "$tmp/reviews.csv"
"$souk" train sentiment --model "$tmp/pre" --reviews "$tmp/reviews.csv" --out "$tmp/sent" \
  --epochs 1 --batch 8 --max-length 16 --device cpu --threads 1 --no-plot > "$tmp/sent.out" \
  2> "$tmp/sent.err" || fail "train sentiment: $(cat "$tmp/sent.err")"
grep -q "^held-out accuracy " "$tmp/sent.out" || fail "sentiment summary: $(cat "$tmp/sent.out")"
grep -q "^  水果: [0-9]* reviews, accuracy " "$tmp/sent.out" || fail "per category: $(cat "$tmp/sent.out")"
"$souk" sentiment --model "$tmp/sent" "很好 喜欢" "很差" > "$tmp/scores.out" 2> /dev/null ||
  fail "souk sentiment"
[[ $(grep -cE "^[01]\.[0-9]{4}	" "$tmp/scores.out") -eq 2 ]] || fail "scores: $(cat "$tmp/scores.out")"
printf '很好\n很差\n一般\n' | "$souk" sentiment --model "$tmp/sent" > "$tmp/scores.out" 2> "$tmp/err" ||
  fail "souk sentiment on stdin"
[[ $(wc -l < "$tmp/scores.out") -eq 3 ]] || fail "stdin scores: $(cat "$tmp/scores.out")"
grep -q "3 texts in" "$tmp/err" || fail "sentiment rate: $(cat "$tmp/err")"
if "$souk" sentiment --model "$tmp/pre" "x" 2> "$tmp/err"; then fail "an encoder scored sentiment"; fi
grep -q "not a sequence classification model" "$tmp/err" || fail "encoder as sentiment: $(cat "$tmp/err")"

# The ranker: trained on the shop's sessions over the served candidates, then served by search.
"$souk" train ranker --index "$tmp/index" --sessions "$tmp/shop/events.jsonl" \
  --out "$tmp/ranker.json" --rounds 20 --threads 1 > "$tmp/ranker.out" 2> "$tmp/ranker.err" ||
  fail "train ranker: $(cat "$tmp/ranker.err")"
grep -q "held-out ndcg@10: retrieval order" "$tmp/ranker.out" ||
  fail "ranker summary: $(cat "$tmp/ranker.out")"
grep -q "examination propensity by position ($tmp/shop/events.jsonl): 1 " "$tmp/ranker.out" ||
  fail "ranker propensities: $(cat "$tmp/ranker.out")"
"$souk" search --index "$tmp/index" --set "ranker.model=$tmp/ranker.json" --k 10 "$title" \
  > "$tmp/ranked.out" 2> /dev/null || fail "search with the ranker"
grep -q "$id" "$tmp/ranked.out" || fail "the ranked search lost $id: $(cat "$tmp/ranked.out")"
if "$souk" search --index "$tmp/index" --set "ranker.model=$tmp/missing.json" "x" 2> "$tmp/err"; then
  fail "a missing ranker was accepted"
fi
grep -q "missing.json" "$tmp/err" || fail "missing ranker error: $(cat "$tmp/err")"

# The loop: soukd serves a models directory (retrieval order until a version is promoted) and
# logs the simulated users' events; `souk retrain` reads the log while soukd runs, publishes v1,
# promotes it and reloads soukd, which then serves it.
cat > "$tmp/loop.yaml" << EOF
server: {address: '127.0.0.1:0'}
index: {dir: '$tmp/index'}
ranker: {model: '$tmp/models'}
feedback: {event_log: '$tmp/events', sync: false}
recommend: {interactions: '$tmp/interactions.txt', seqrec_model: '$tmp/seqrec'}
logging: {level: info}
EOF
mkdir "$tmp/models" "$tmp/seqrec"
"$soukd" --config "$tmp/loop.yaml" > "$tmp/loop.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "serving on port" "$tmp/loop.out" && break; sleep 0.1; done
port=$(sed -nE 's/.*serving on port ([0-9]+).*/\1/p' "$tmp/loop.out")
[[ -n $port ]] || fail "soukd did not start on a models directory: $(cat "$tmp/loop.out")"
"$souk" simulate --shop "$tmp/shop" --server "127.0.0.1:$port" --sessions 200 --seed 3 --days 2 \
  > "$tmp/sim.out" 2>&1 || fail "simulate: $(cat "$tmp/sim.out")"
"$souk" retrain --config "$tmp/loop.yaml" --models "$tmp/models" --server "127.0.0.1:$port" \
  --force --min-heldout 1 --rounds 10 --threads 1 > "$tmp/retrain.out" 2> "$tmp/retrain.err" ||
  fail "retrain: $(cat "$tmp/retrain.out" "$tmp/retrain.err")"
grep -q "^promoted: forced" "$tmp/retrain.out" || fail "retrain summary: $(cat "$tmp/retrain.out")"
grep -q "^reloaded 127.0.0.1:$port" "$tmp/retrain.out" || fail "no reload: $(cat "$tmp/retrain.out")"
[[ $(readlink "$tmp/models/current") == v1 && -f $tmp/models/v1/report.json ]] ||
  fail "v1 is not current: $(ls -l "$tmp/models")"
grep -q "ranker of [0-9]* trees" "$tmp/loop.out" || fail "soukd did not load v1: $(cat "$tmp/loop.out")"
# The next one is judged against v1; whether promoted (0) or not (3), it is published.
rc=0
"$souk" retrain --config "$tmp/loop.yaml" --models "$tmp/models" --min-heldout 1 --rounds 10 \
  --threads 1 > "$tmp/retrain.out" 2> /dev/null || rc=$?
[[ $rc == 0 || $rc == 3 ]] || fail "second retrain exited $rc: $(cat "$tmp/retrain.out")"
grep -qF "serving ($tmp/models/v1/ranker.json)" "$tmp/retrain.out" ||
  fail "second retrain was not judged against v1: $(cat "$tmp/retrain.out")"
grep -qF "\"serving_ranker\": \"$tmp/models/v1/ranker.json\"" "$tmp/models/v2/report.json" ||
  fail "v2 report: $(cat "$tmp/models/v2/report.json")"
# The sequential recommender too: trained on the stored histories and the log, served on reload.
grep -q "recommender of [0-9]* items, " "$tmp/loop.out" || fail "soukd started with a model?"
"$souk" retrain seqrec --config "$tmp/loop.yaml" --models "$tmp/seqrec" --server "127.0.0.1:$port" \
  --force --min-heldout 1 --epochs 1 --hidden 16 --layers 1 --heads 1 --max-length 8 \
  --device cpu --threads 1 --no-plot > "$tmp/retrain.out" 2> "$tmp/retrain.err" ||
  fail "retrain seqrec: $(cat "$tmp/retrain.out" "$tmp/retrain.err")"
grep -q "^held-out next items of [1-9][0-9]* users" "$tmp/retrain.out" ||
  fail "retrain seqrec summary: $(cat "$tmp/retrain.out")"
[[ $(readlink "$tmp/seqrec/current") == v1 && -f $tmp/seqrec/v1/config.json ]] ||
  fail "seqrec v1 is not current: $(ls -l "$tmp/seqrec")"
grep -q "recommender of [0-9]* items with a model" "$tmp/loop.out" ||
  fail "soukd did not load the recommender's v1: $(cat "$tmp/loop.out")"
# Rolling back: v1 current again, and soukd reloads it.
"$souk" retrain --models "$tmp/models" --promote v1 --server "127.0.0.1:$port" > "$tmp/rollback.out" ||
  fail "rollback: $(cat "$tmp/rollback.out")"
[[ $(readlink "$tmp/models/current") == v1 ]] || fail "rollback did not make v1 current"
grep -q "^reloaded" "$tmp/rollback.out" || fail "rollback did not reload: $(cat "$tmp/rollback.out")"
if "$souk" retrain --models "$tmp/models" --promote v9 2> "$tmp/err"; then fail "promoted v9"; fi
grep -q "no published version v9" "$tmp/err" || fail "promote error: $(cat "$tmp/err")"
kill -TERM "$server_pid"
wait "$server_pid" || fail "soukd exited with $? after SIGTERM"
server_pid=

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
