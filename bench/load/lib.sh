# Shared by the load benchmarks (sourced, from the repository root): the work directory, the
# binaries, and soukd started and stopped on loopback.
#
#   load_bench_init MODEL_DIR [WORK_DIR]   sets model (empty for an empty MODEL_DIR), work (kept
#                                          when given, else a temporary directory removed on
#                                          exit), souk and soukd
#   start_soukd CONFIG [ARGS...]           starts soukd, waits for its port: sets server_pid, port
#   stop_soukd [LABEL]                     reports its peak memory, SIGTERM, waits for it to drain
#   shop_queries SHOP_DIR OUT              the distinct query texts of a demo shop's logged
#                                          searches, in log order, as `request_id<TAB>query`

load_bench_init() {
  model=${1:+$(realpath "$1")}
  work=${2:-}
  keep=1
  if [[ -z $work ]]; then
    work=$(mktemp -d)
    keep=0
  fi
  mkdir -p "$work"
  work=$(realpath "$work")
  server_pid=
  trap load_bench_cleanup EXIT
  cmake --build build/release --target souk soukd > /dev/null
  souk=build/release/src/apps/souk
  soukd=build/release/src/apps/soukd
}

load_bench_cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2> /dev/null || true
  [[ $keep == 1 ]] || rm -rf "$work"
}

start_soukd() {
  "$soukd" --config "$@" > "$work/soukd.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 1200); do grep -q "serving on port" "$work/soukd.out" && break; sleep 0.1; done
  port=$(sed -nE 's/.*serving on port ([0-9]+).*/\1/p' "$work/soukd.out")
  [[ -n $port ]] || { cat "$work/soukd.out" >&2; exit 1; }
}

stop_soukd() {
  echo "soukd${1:+ ($1)}: $(grep VmHWM "/proc/$server_pid/status" | xargs)" >&2
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=
}

shop_queries() {
  grep '"type":"search"' "$1/events.jsonl" |
    sed -E 's/.*"request_id":"([^"]+)","query":"([^"]*)".*/\1\t\2/' |
    awk -F'\t' '!seen[$2]++' > "$2"
}
