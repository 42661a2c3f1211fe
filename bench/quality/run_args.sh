# Sourced by the Home Depot scripts: reads `PRODUCTS TRAIN_QRELS TEST_QUERIES RUN [WORK_DIR]`
# into products, train_qrels, test_queries, run and work (a temporary directory removed at the
# end when WORK_DIR is not given), and finds the souk binary. Prints lines 2..$usage_end of the
# calling script and exits 2 on too few arguments. Runs from the repository root.
if [[ $# -lt 4 ]]; then
  sed -n "2,${usage_end}p" "$0" >&2
  exit 2
fi
products=$1 train_qrels=$2 test_queries=$3 run=$4
souk=${SOUK_BUILD_DIR:-build/release}/src/apps/souk
[[ -x $souk ]] || { echo "no $souk: run 'make build' first" >&2; exit 1; }
if [[ $# -ge 5 ]]; then
  work=$5
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
