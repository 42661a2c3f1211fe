#!/usr/bin/env bash
# docs/quickstart.md kept true: runs its `sh` blocks, in order, in an empty directory with the
# built souk and soukd on PATH (the server on a free loopback port instead of the page's
# 50061), and checks that the searches it shows find the products they should.
# Usage: quickstart_test.sh path/to/souk path/to/soukd
set -euo pipefail
souk=$1
soukd=$2
page=$(dirname "$0")/../../docs/quickstart.md
tmp=$(mktemp -d)
group=
cleanup() {
  [[ -n $group ]] && kill -KILL -- "-$group" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [[ -f $tmp/out ]] && cat "$tmp/out"; exit 1; }

mkdir "$tmp/bin" "$tmp/work"
ln -s "$(realpath "$souk")" "$tmp/bin/souk"
ln -s "$(realpath "$soukd")" "$tmp/bin/soukd"
port=$(( 20000 + RANDOM % 20000 ))
awk '/^```sh$/ {inside = 1; next} /^```$/ {inside = 0} inside' "$page" |
  sed "s/127\.0\.0\.1:50061/127.0.0.1:$port/g" > "$tmp/page.sh"
grep -q "souk index" "$tmp/page.sh" || fail "no sh blocks found in $page"

# Its own process group, so that a server the page failed to stop is stopped here.
(cd "$tmp/work" && PATH="$tmp/bin:$PATH" exec setsid timeout 120 bash -e "$tmp/page.sh") \
  > "$tmp/out" 2>&1 &
group=$!
wait "$group" || fail "the page's commands failed"
group=

# What the page shows: each search finds the product it names, the category filter keeps
# power tools only, and the Chinese query finds the wok. Result tables in order: the in-process
# search, then the three queries over gRPC.
grep -q "indexed 4 products" "$tmp/out" || fail "souk index did not index the 4 products"
[[ -f $tmp/work/shop-index/manifest.json ]] || fail "no index directory"
table() { awk -v n="$1" '/^rank / {t++} t == n && /^ +[0-9]+ / {printf "%s ", $3}' "$tmp/out"; }
[[ $(table 1) == "d-100 "* ]] || fail "cordless drill (in-process): $(table 1)"
[[ $(table 2) == "d-101 "*"h-200 "* ]] || fail "hammer drill: $(table 2)"
[[ $(table 3) == "d-100 d-101 " ]] || fail "drill in Tools > Power Tools: $(table 3)"
[[ $(table 4) == "k-300 " ]] || fail "炒锅: $(table 4)"
[[ $(table 5) == "" ]] || fail "more result tables than the page shows"
echo "PASS"
