#!/usr/bin/env bash
# SMS throughput through a real Kannel on loopback (bearerbox, smsbox, fakesmsc as the SMSC): a
# campaign of N recipients, W worker processes; prints the sustained send rate, the time until
# every delivery report is recorded, each worker's peak memory and how many SMS the SMSC got
# more than once.
#   scripts/bench-sms.sh [N] [sqlite|postgres] [WORKERS] [SENDERS]
# Example: scripts/bench-sms.sh 100000 postgres 2 16
# SMS_PER_SECOND=R gives every worker --sms-per-second R (the account's rate, shared by them all).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-100000}
BACKEND=${2:-sqlite}
WORKERS=${3:-1}
SENDERS=${4:-4}
M=${MADOGUCHI_BINARY:-$ROOT/build/madoguchi}  # another build to compare against
TMP=$(mktemp -d -t madoguchi-bench-sms.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${KANNEL_DIR:-}" ] && "$ROOT/scripts/kannel-throwaway.sh" stop "$KANNEL_DIR"
  [ -n "${PGTMP:-}" ] && "$ROOT/scripts/pg-throwaway.sh" stop "$PGTMP"
  rm -rf "$TMP"
}
trap cleanup EXIT

if [ "$BACKEND" = postgres ]; then
  eval "$(scripts/pg-throwaway.sh start)"
  DB=$DATABASE_URL
  sql() { psql -q -t -A "$DATABASE_URL" -c "$1"; }
else
  DB=sqlite:$TMP/bench.db
  sql() { sqlite3 "$TMP/bench.db" "$1"; }
fi
"$M" migrate --db "$DB" >/dev/null 2>&1
"$M" tenant add --db "$DB" --code 452041 --name 日南市 >/dev/null
sql "INSERT INTO messaging_settings (tenant_code, quiet_start_min, quiet_end_min, max_sms_parts, sms_sen_per_part, sms_sender, updated_at) VALUES ('452041', 0, 0, 4, 300, 'madoguchi', 0)" >/dev/null  # no quiet hours
python3 -c "
print('電話番号,氏名')
for i in range($N): print('090%08d,住民%d' % (10000000 + i, i))" >"$TMP/recipients.csv"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MO=$("$M" sms hooks --db "$DB" --callback-url "http://127.0.0.1:$PORT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["mo_url"])')
eval "$(scripts/kannel-throwaway.sh start "$MO")"
"$M" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

"$M" campaign send --db "$DB" --tenant 452041 --name bench --csv "$TMP/recipients.csv" \
  --text '{氏名}様 日南市です。接種券を本日発送しました。' >/dev/null
count() { sql "SELECT COUNT(*) FROM messages WHERE $1"; }
if [ "$BACKEND" = postgres ]; then
  # One connection for the polling below: a psql started twice a second costs PostgreSQL a new
  # backend each time, taken from what is measured.
  coproc DBQ { psql -q -t -A "$DATABASE_URL" 2>&1; }
  PIDS+=($DBQ_PID)
  count() {
    echo "SELECT COUNT(*) FROM messages WHERE $1;" >&"${DBQ[1]}"
    local line; read -r line <&"${DBQ[0]}"; echo "$line"
  }
fi
start=$(date +%s.%N)
WPIDS=()
for w in $(seq 1 "$WORKERS"); do
  "$M" worker --db "$DB" --kannel-url "$KANNEL_SENDSMS_URL" --kannel-user "$KANNEL_USER" --kannel-pass "$KANNEL_PASS" --smsc mt \
    --callback-url "http://127.0.0.1:$PORT" --senders "$SENDERS" --name "bench-$w" --sms-per-second "${SMS_PER_SECOND:-0}" >"$TMP/worker$w.log" 2>&1 &
  WPIDS+=($!)
  PIDS+=($!)
done
peak() {  # the largest VmHWM (kB) among the workers so far
  local best=0 kb
  for p in "${WPIDS[@]}"; do
    kb=$(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$best" ] && best=$kb
  done
  echo "$best"
}
PEAK=0
while [ "$(count "state IN ('queued','sending')")" != 0 ]; do
  for w in "${!WPIDS[@]}"; do
    kill -0 "${WPIDS[$w]}" 2>/dev/null || { echo "bench-sms: worker $((w + 1)) exited:" >&2; cat "$TMP/worker$((w + 1)).log" >&2; exit 1; }
  done
  p=$(peak); [ "$p" -gt "$PEAK" ] && PEAK=$p
  sleep 0.5
done
sent_at=$(date +%s.%N)
for _ in $(seq 1 600); do
  [ "$(count "state = 'delivered'")" = "$N" ] && break
  sleep 0.5
done
done_at=$(date +%s.%N)
p=$(peak); [ "$p" -gt "$PEAK" ] && PEAK=$p
got=$(grep -c "Got message" "$KANNEL_FAKESMSC_LOG" || true)
delivered=$(count "state = 'delivered'")
python3 - "$N" "$BACKEND" "$WORKERS" "$SENDERS" "$start" "$sent_at" "$done_at" "$PEAK" "$got" "$delivered" <<'PY'
import sys
n, backend, workers, senders = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
start, sent, done = map(float, sys.argv[5:8])
peak_kb, got, delivered = int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
print(f"{n} SMS, {backend}, {workers} worker(s) x {senders} senders: all sent in {sent-start:.1f} s "
      f"({n/(sent-start):.0f}/s), every delivery report recorded after {done-start:.1f} s ({n/(done-start):.0f}/s); "
      f"delivered {delivered}; SMSC received {got} ({got-n} more than once); worker peak RSS {peak_kb/1024:.0f} MiB")
PY
