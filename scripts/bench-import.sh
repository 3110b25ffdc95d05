#!/usr/bin/env bash
# Times `madoguchi residents import` of N synthetic residents into a fresh database, then the same
# file again (every row an update). Prints one JSON line per backend (docs/benchmarks.md).
#   scripts/bench-import.sh [N] [sqlite|postgres ...]      (default: 100000 sqlite postgres)
# PostgreSQL is a throwaway cluster with fsync and synchronous commit on.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
B=${MADOGUCHI_BIN:-$ROOT/build/madoguchi}
N=${1:-100000}
shift || true
BACKENDS=("$@")
[ ${#BACKENDS[@]} -eq 0 ] && BACKENDS=(sqlite postgres)
WORK=$(mktemp -d)
PGTMP=""
trap 'rm -rf "$WORK"; [ -n "$PGTMP" ] && "$ROOT/scripts/pg-throwaway.sh" stop "$PGTMP"' EXIT
"$ROOT/scripts/resident-list.sh" "$N" > "$WORK/list.csv"
seconds() { local t0; t0=$(date +%s.%N); "$@" >/dev/null; awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $t0 }"; }
for BACKEND in "${BACKENDS[@]}"; do
  if [ "$BACKEND" = postgres ]; then
    PGENV=$(DURABLE=1 "$ROOT/scripts/pg-throwaway.sh" start)
    eval "$PGENV"
    DB=$DATABASE_URL
  else
    rm -f "$WORK/import.db"*
    DB=sqlite:$WORK/import.db
  fi
  "$B" tenant add --db "$DB" --code 452041 --name 日南市 >/dev/null
  FIRST=$(seconds "$B" residents import --db "$DB" --tenant 452041 "$WORK/list.csv")
  AGAIN=$(seconds "$B" residents import --db "$DB" --tenant 452041 "$WORK/list.csv")
  echo "{\"backend\":\"$BACKEND\",\"residents\":$N,\"first_s\":$FIRST,\"again_s\":$AGAIN}"
  if [ -n "$PGTMP" ]; then "$ROOT/scripts/pg-throwaway.sh" stop "$PGTMP"; PGTMP=""; fi
done
