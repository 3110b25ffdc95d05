#!/usr/bin/env bash
# Compares builds on the opening-day rush in one sitting, alternating them so the machine's drift
# falls on all alike: each round runs the builds in order, then in reverse (A B C C B A), with
# `sync; sleep 2` between runs. Each argument is a checkout with its own build/ (build/madoguchi and
# build/bench/rush) and scripts/bench-rush.sh; results go to stdout, one line per run, then the
# means and medians per build.
#
#   git worktree add /tmp/old <commit> && (cd /tmp/old && cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#     && cmake --build build -j2 --target madoguchi rush)
#   scripts/bench-compare.sh 5 /tmp/old .            (5 rounds at 512 connections)
#   CONNECTIONS=64 scripts/bench-compare.sh 5 /tmp/old .
set -euo pipefail
ROUNDS=$1
shift
DIRS=("$@")
REVERSED=()
for ((i = ${#DIRS[@]} - 1; i >= 0; i--)); do REVERSED+=("${DIRS[i]}"); done
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for _ in $(seq "$ROUNDS"); do
  for d in "${DIRS[@]}" "${REVERSED[@]}"; do
    sync
    sleep 2
    line=$(cd "$d" && scripts/bench-rush.sh "${CONNECTIONS:-512}" 2>/dev/null | tail -1)
    echo "$line" | python3 -c '
import json, sys
j = json.load(sys.stdin); r = j["rush"]
print(sys.argv[1], round(r["bookings_per_sec"]), round(r["admitted_p99_ms"], 1), j.get("server_cpu_s", 0))' "$d" | tee -a "$OUT"
  done
done
python3 - "$OUT" <<'EOF'
import collections, statistics as st, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    d, b, p, c = line.split()
    runs[d].append((float(b), float(p), float(c)))
print("build runs bookings/s(mean median) p99_ms(mean median) server_cpu_s(mean)")
for d, v in runs.items():
    print(d, len(v), "%.0f %.0f" % (st.mean(x[0] for x in v), st.median(x[0] for x in v)),
          "%.1f %.1f" % (st.mean(x[1] for x in v), st.median(x[1] for x in v)), "%.2f" % st.mean(x[2] for x in v))
EOF
