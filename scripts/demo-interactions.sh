#!/usr/bin/env bash
# Writes the demo shop's users' histories as interactions (`user product` lines, each user's in
# time order; docs/formats/interactions.md) from its events.jsonl: every click, add-to-cart and
# purchase, a product repeated back to back (clicked, then bought) counted once. What
# Recommend's co-visitation, trending and stored histories learn from under `make run`. With
# BASKETS, also each session's carted and bought products as `session product` lines, what
# bought-together learns from.
#
#   scripts/demo-interactions.sh EVENTS_JSONL OUT [BASKETS]
set -euo pipefail
if [[ $# -ne 2 && $# -ne 3 ]]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
baskets=${3:-}
/usr/bin/python3 - "$1" "$2.tmp" "${baskets:+$baskets.tmp}" <<'PY'
import json, sys
events = []
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f):
        e = json.loads(line)
        if e["type"] in ("click", "add_to_cart", "purchase"):
            events.append((e["ts"], n, e["user_id"], e["session_id"], e["type"], e["product_id"]))
events.sort()
last = {}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for _, _, user, _, _, product in events:
        if last.get(user) != product:
            out.write(f"{user} {product}\n")
            last[user] = product
if sys.argv[3]:
    seen = set()
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        for _, _, _, session, kind, product in events:
            if kind != "click" and (session, product) not in seen:
                out.write(f"{session} {product}\n")
                seen.add((session, product))
PY
mv "$2.tmp" "$2"
[[ -z $baskets ]] || mv "$baskets.tmp" "$baskets"
