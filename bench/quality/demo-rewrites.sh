#!/usr/bin/env bash
# Learned query rewrites on the demo shop (docs/search.md#synonyms-and-learned-rewrites): learn
# from the older part of the event log, judge on the newer part.
#   1. a demo shop (SOUK_SESSIONS sessions, 30,000 by default; seed 42) and its BM25F index;
#   2. `souk train rewrites` on the first SOUK_LEARN_SHARE (0.8) of events.jsonl's lines;
#   3. judged searches: every search of the remaining lines whose shopper bought in the same
#      session, at or after it; the products bought are its relevant ones (grade 3): what the
#      shopper was looking for, whichever query found it;
#   4. BM25F's top 100 for each with and without lexical.rewrites.learned_file (`souk search`),
#      scored by `souk eval` (NDCG@10, Recall@100): over all judged searches, and over those
#      whose results the rewrites changed (the ones a rewrite fired on).
#
#   bench/quality/demo-rewrites.sh [BUILD_DIR] [WORK_DIR]
#
# WORK_DIR keeps the shop, index, split, rewrites and runs (else a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
souk=$build/src/apps/souk
[[ -x $souk ]] || { echo "no $souk: run 'make build' first" >&2; exit 1; }
if [[ $# -ge 2 ]]; then
  work=$2
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

[[ -f $work/shop/manifest.json ]] ||
  "$souk" gen --out "$work/shop" --seed 42 --sessions "${SOUK_SESSIONS:-30000}" >&2
[[ -f $work/index/manifest.json ]] ||
  "$souk" index --catalog "$work/shop/catalog.jsonl" --out "$work/index" >&2

# The split, and the judged searches of the newer part.
/usr/bin/python3 - "$work/shop/events.jsonl" "$work" "${SOUK_LEARN_SHARE:-0.8}" <<'PY'
import collections, json, sys
events_path, work, share = sys.argv[1], sys.argv[2], float(sys.argv[3])
lines = open(events_path, encoding="utf-8").read().splitlines()
cut = int(len(lines) * share)
with open(f"{work}/learn.jsonl", "w", encoding="utf-8") as out:
    out.write("\n".join(lines[:cut]) + "\n")
searches = []                          # (session, order, query)
bought = collections.defaultdict(list)  # session -> [(order, product)]
for order, line in enumerate(lines[cut:]):
    e = json.loads(line)
    session = (e.get("user_id", ""), e.get("session_id", ""))
    if e["type"] == "search":
        searches.append((session, order, e["query"]))
    elif e["type"] == "purchase":
        bought[session].append((order, e["product_id"]))
with open(f"{work}/queries.tsv", "w", encoding="utf-8") as q, \
     open(f"{work}/qrels.tsv", "w", encoding="utf-8") as r:
    r.write("query_id\tquery\tproduct_uid\trelevance\n")
    judged = 0
    for session, order, query in searches:
        products = sorted({p for at, p in bought[session] if at > order})
        if not products or "\t" in query:
            continue
        judged += 1
        qid = f"s{judged}"
        q.write(f"{qid}\t{query}\n")
        for p in products:
            r.write(f"{qid}\t{query}\t{p}\t3\n")
print(f"learn: {cut} events; judged: {judged} searches of {len(searches)}", file=sys.stderr)
PY

"$souk" train rewrites --events "$work/learn.jsonl" --out "$work/rewrites.tsv" >&2
"$souk" search --index "$work/index" --queries "$work/queries.tsv" --k 100 \
  --output "$work/run-bm25.txt" --tag bm25 >&2
"$souk" search --index "$work/index" --queries "$work/queries.tsv" --k 100 \
  --set "lexical.rewrites.learned_file=$work/rewrites.tsv" \
  --output "$work/run-rewrites.txt" --tag rewrites >&2

# The judged searches whose rankings the rewrites changed.
/usr/bin/python3 - "$work" <<'PY'
import collections, sys
work = sys.argv[1]
def run(name):
    ranked = collections.defaultdict(list)
    for line in open(f"{work}/run-{name}.txt"):
        qid, _, doc, *_ = line.split()
        ranked[qid].append(doc)
    return ranked
base, rewritten = run("bm25"), run("rewrites")
changed = {q for q in set(base) | set(rewritten) if base[q] != rewritten[q]}
with open(f"{work}/qrels.tsv") as src, open(f"{work}/qrels-changed.tsv", "w") as out:
    out.write(next(src))
    for line in src:
        if line.split("\t", 1)[0] in changed:
            out.write(line)
PY

for qrels in qrels qrels-changed; do
  echo "== $qrels.tsv"
  for name in bm25 rewrites; do
    "$souk" eval --qrels "$work/$qrels.tsv" --run "$work/run-$name.txt" --k 10 --recall-k 100 |
      sed "s/^[^ ]*  */$(printf "%-10s" $name)/"
  done
done
echo "learned rewrites: $(($(wc -l < "$work/rewrites.tsv") - 1))"
