#!/usr/bin/env bash
# Writes the demo shop's users' histories as interactions (`user product` lines, each user's in
# time order; docs/formats/interactions.md) from its events.jsonl: every click, add-to-cart and
# purchase, a product repeated back to back (clicked, then bought) counted once. What
# Recommend's co-visitation, trending and stored histories learn from under `make run`.
#
#   scripts/demo-interactions.sh EVENTS_JSONL OUT
set -euo pipefail
if [[ $# -ne 2 ]]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
/usr/bin/python3 - "$1" "$2.tmp" <<'PY'
import json, sys
events = []
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f):
        e = json.loads(line)
        if e["type"] in ("click", "add_to_cart", "purchase"):
            events.append((e["ts"], n, e["user_id"], e["product_id"]))
events.sort()
last = {}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for _, _, user, product in events:
        if last.get(user) != product:
            out.write(f"{user} {product}\n")
            last[user] = product
PY
mv "$2.tmp" "$2"
