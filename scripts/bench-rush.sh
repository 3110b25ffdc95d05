#!/usr/bin/env bash
# The opening-day rush (issue #4): 100,000 residents on the list, 20,000 seats (400 slots × 50),
# bookings over loopback at 64 and 512 connections, an operator searching on the staff listener.
# Results (JSON lines) go to stdout; docs/benchmarks.md records them.
#
#   scripts/bench-rush.sh [connections ...]        (default: 64 512)
#   THREADS=N IO_THREADS=N scripts/bench-rush.sh          (handler and socket threads; default: the server's)
#   KEEP_LOG=FILE scripts/bench-rush.sh 512              (keep the server's log: one line per request)
#   BACKEND=postgres scripts/bench-rush.sh 64 512   (PostgreSQL instead of SQLite: a throwaway
#                                                    cluster per run, fsync and synchronous commit on)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
B="$ROOT/build/madoguchi"
RUSH="$ROOT/build/bench/rush"
RESIDENTS=${RESIDENTS:-100000}
SLOTS=${SLOTS:-400}
SEATS_PER_SLOT=${SEATS_PER_SLOT:-50}
CONNS=("$@")
[ ${#CONNS[@]} -eq 0 ] && CONNS=(64 512)

# The port a listener of the server bound (it is started on port 0), read off its log.
port_of() { grep -o "$2url=http://127.0.0.1:[0-9]*" "$1" | head -1 | sed 's/.*://'; }

# The load generator's "operators" search 100 times a second, far past one person's look-up
# budget (serve --staff-lookups-per-hour, 300 by default); a build without the option gets none.
LOOKUPS=""
"$B" serve --help 2>&1 | grep -q -- --staff-lookups-per-hour && LOOKUPS="--staff-lookups-per-hour 10000000"

SERVER=""
for C in "${CONNS[@]}"; do
  WORK=$(mktemp -d)
  PGTMP=""
  trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"; [ -n "$PGTMP" ] && "$ROOT/scripts/pg-throwaway.sh" stop "$PGTMP"' EXIT
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    PGENV=$(DURABLE=1 "$ROOT/scripts/pg-throwaway.sh" start)
    eval "$PGENV"
    DB=$DATABASE_URL
  else
    DB=sqlite:$WORK/rush.db
  fi
  "$B" tenant add --db "$DB" --code 452041 --name 日南市 >/dev/null
  echo "rush admin password" | "$B" user add --db "$DB" --login rushadmin --role admin --tenant 452041 --name 管理 >/dev/null
  TOKEN=$("$B" token add --db "$DB" --login rushadmin --name rush 2>/dev/null | tail -1)
  "$ROOT/scripts/resident-list.sh" "$RESIDENTS" > "$WORK/list.csv"
  IMPORT_START=$(date +%s.%N)
  "$B" residents import --db "$DB" --tenant 452041 "$WORK/list.csv" >/dev/null
  IMPORT_S=$(awk "BEGIN { print $(date +%s.%N) - $IMPORT_START }")
  "$B" serve --db "$DB" --listen 127.0.0.1:0 --staff-listen 127.0.0.1:0 ${THREADS:+--threads $THREADS} ${IO_THREADS:+--io-threads $IO_THREADS} --admission-concurrency ${ADMISSION:-128} $LOOKUPS 2>"$WORK/serve.log" &
  SERVER=$!
  for _ in $(seq 100); do grep -q "role=staff" "$WORK/serve.log" && break; sleep 0.1; done
  P=$(port_of "$WORK/serve.log" "msg=listening ")
  Q=$(port_of "$WORK/serve.log" "role=staff ")
  H=(-H "Content-Type: application/json" -H "Authorization: Bearer $TOKEN")
  curl -sf -X POST "http://127.0.0.1:$Q/api/v1/t/452041/venues" "${H[@]}" -d '{"name":"日南市文化センター","address":"中央通"}' >/dev/null
  TOMORROW=$(date -u -d '+2 days' +%Y-%m-%d)
  for s in $(seq 0 $((SLOTS - 1))); do
    M=$(( (s % 16) * 30 )); HH=$(( 9 + M / 60 )); MM=$(( M % 60 )); DAY=$(date -u -d "$TOMORROW + $((s / 16)) days" +%Y-%m-%d)
    printf -v START '%sT%02d:%02d:00+09:00' "$DAY" $HH $MM
    printf -v END '%sT%02d:%02d:00+09:00' "$DAY" $HH $((MM + 29))
    echo "url = \"http://127.0.0.1:$Q/api/v1/t/452041/slots\""
    echo "header = \"Content-Type: application/json\""
    echo "header = \"Authorization: Bearer $TOKEN\""
    echo "request = \"POST\""
    echo "silent"
    echo "fail"
    echo "output = \"/dev/null\""
    echo "data = \"{\\\"venue_id\\\":1,\\\"starts_at\\\":\\\"$START\\\",\\\"ends_at\\\":\\\"$END\\\",\\\"capacity\\\":$SEATS_PER_SLOT,\\\"vaccine\\\":\\\"pfizer\\\",\\\"dose\\\":1}\""
    [ $s -lt $((SLOTS - 1)) ] && echo "next"
  done > "$WORK/slots.curl"
  curl -K "$WORK/slots.curl"
  RESULT=$("$RUSH" --url "http://127.0.0.1:$P" --staff-url "http://127.0.0.1:$Q" --token "$TOKEN" --connections "$C" \
    --residents "$RESIDENTS" --slots "1-$SLOTS" --seats $((SLOTS * SEATS_PER_SLOT)) --codes "$WORK/codes.txt")
  # The server's CPU time over the whole run (user + system, from /proc): what a booking costs.
  CPU_S=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER/stat")
  kill $SERVER; wait $SERVER 2>/dev/null || true
  # What the database holds afterwards: never more than capacity, every 201 still booked.
  CHECK=$("$B" bookings check --db "$DB" --tenant 452041 --codes "$WORK/codes.txt")
  echo "{\"backend\":\"${DB%%:*}\",\"import_100k_s\":$IMPORT_S,\"server_cpu_s\":$CPU_S,\"rush\":$RESULT,\"check\":$CHECK}"
  [ -n "${KEEP_LOG:-}" ] && cp "$WORK/serve.log" "$KEEP_LOG"
  rm -rf "$WORK"
  [ -n "$PGTMP" ] && "$ROOT/scripts/pg-throwaway.sh" stop "$PGTMP"
  trap - EXIT
done
