#!/usr/bin/env bash
# Next-item recommendation on Amazon Beauty (../shared/data/amazon-beauty/beauty.txt, the BERT4Rec
# file), leave-one-out: every user's newest item is held out, each method ranks items after the
# rest of the history (never one already in it), and HR@10 (= Recall@10, one relevant item) and
# NDCG@10 score the held-out items. Two protocols, never mixed: full ranking over all items, and
# the BERT4Rec paper's, where the held-out item is ranked against 100 negatives drawn by
# popularity among the items the user never named (seeded; `souk recommend --candidates`).
# Methods: popularity, first-order Markov, item-to-item co-visitation, the sequential model
# (`souk train seqrec` with its defaults on the same file; about 15-20 minutes on 2 cores), and
# the blend of the last two that `souk recommend` runs by default.
# docs/recommend.md.
#
#   bench/quality/beauty.sh [BUILD_DIR] [WORK_DIR] [INTERACTIONS]
#
# WORK_DIR keeps the split, the model and the runs (else a temporary directory, removed at the
# end); INTERACTIONS replaces beauty.txt with another file of the same layout.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
souk=$build/src/apps/souk
[[ -x $souk ]] || { echo "no $souk: run 'make build' first" >&2; exit 1; }
interactions=${3:-${SOUK_SHARED_DATA:-../shared/data}/amazon-beauty/beauty.txt}
[[ -f $interactions ]] || { echo "no interactions file $interactions" >&2; exit 1; }
if [[ $# -ge 2 ]]; then
  work=$2
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# The split: each user's lines but the last -> train.txt; the last -> test qrels.
awk '{ last[$1] = $2; if ($1 in prev) print $1, prev[$1]; prev[$1] = $2;
       if (!($1 in order)) { order[$1] = n++; users[n - 1] = $1 } }
     END { print "query_id\tquery\tproduct_uid\trelevance" > "/dev/stderr";
           for (i = 0; i < n; ++i) print users[i] "\t" users[i] "\t" last[users[i]] "\t1" > "/dev/stderr" }' \
  "$interactions" > "$work/train.txt" 2> "$work/test-qrels.tsv"

# The sampled protocol's candidates: each user's held-out item and 100 negatives drawn by
# popularity in the training file (items it names, so every method can score them).
/usr/bin/python3 - "$interactions" "$work/test-qrels.tsv" "$work/train.txt" \
  > "$work/candidates.txt" <<'PY'
import collections, random, sys
named, count = collections.defaultdict(set), collections.Counter()
for line in open(sys.argv[1]):
    user, item = line.split()
    named[user].add(item)
for line in open(sys.argv[3]):
    count[line.split()[1]] += 1
items, weights = list(count), list(count.values())
rng = random.Random(42)
for line in list(open(sys.argv[2]))[1:]:
    user, _, target, _ = line.rstrip("\n").split("\t")
    negatives = set()
    while len(negatives) < 100:
        for item in rng.choices(items, weights, k=100):
            if item not in named[user] and len(negatives) < 100:
                negatives.add(item)
    print(user, target)
    for item in sorted(negatives):
        print(user, item)
PY

score() {
  "$souk" eval --qrels "$work/test-qrels.tsv" --run "$1" --k 10 --recall-k 10 | sed "s|^run|$2|"
}
# recommend METHOD [flags]: both protocols' runs and scores.
recommend() {
  local method=$1
  shift
  "$souk" recommend --method "$method" --interactions "$work/train.txt" --k 10 \
    --output "$work/run-$method.txt" "$@" > /dev/null
  score "$work/run-$method.txt" "$method (full ranking)"
  "$souk" recommend --method "$method" --interactions "$work/train.txt" --k 10 \
    --candidates "$work/candidates.txt" --output "$work/run-$method-sampled.txt" "$@" > /dev/null
  score "$work/run-$method-sampled.txt" "$method (100 sampled negatives)"
}
for method in popular markov covisit; do recommend "$method"; done
start=$(date +%s)
"$souk" train seqrec --interactions "$work/train.txt" --out "$work/seqrec" --no-plot
echo "seqrec training: $(( $(date +%s) - start )) s" >&2
recommend seqrec --model "$work/seqrec"
recommend blend --model "$work/seqrec"
