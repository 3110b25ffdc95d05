#!/usr/bin/env bash
# A throwaway Kannel (bearerbox, smsbox, fakesmsc as the SMSC, Redis for its delivery reports) on
# free loopback ports, for tests and benchmarks. The config is deploy/kannel/kannel-test.conf.in
# (KANNEL_CONF_IN=FILE for another, as docs/benchmarks.md compares).
#   eval "$(scripts/kannel-throwaway.sh start MO_URL)"  # exports KANNEL_DIR KANNEL_SENDSMS_URL
#                                                      # KANNEL_USER KANNEL_PASS KANNEL_MO_PORT
#                                                      # KANNEL_ADMIN_URL KANNEL_FAKESMSC_LOG
#                                                      # KANNEL_ADMIN KANNEL_ADMIN_PASS (the admin port)
#   scripts/kannel-throwaway.sh stop "$KANNEL_DIR"
# MO_URL is where smsbox sends replies (Kannel escapes: %p sender, %a text, …).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FAKESMSC=/usr/lib/kannel/test/fakesmsc

free_port() {
  python3 -c 'import socket,random
for _ in range(200):
    p=random.randint(20000,32000); s=socket.socket()
    try: s.bind(("127.0.0.1",p)); s.close(); print(p); break
    except OSError: pass'
}

wait_port() {  # wait until something listens on 127.0.0.1:$1
  for _ in $(seq 1 100); do
    if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# A box that did not start: what was started is stopped, the folder kept for its logs.
give_up() {
  echo "kannel-throwaway: $1; see $DIR" >&2
  for p in smsbox fakesmsc bearerbox redis; do
    [ -f "$DIR/$p.pid" ] && kill -9 "$(cat "$DIR/$p.pid")" 2>/dev/null || true
  done
  exit 1
}

case "${1:-}" in
start)
  MO_URL=${2:?usage: kannel-throwaway.sh start MO_URL}
  command -v bearerbox >/dev/null || [ -x /usr/sbin/bearerbox ] || { echo "kannel-throwaway: bearerbox not found (apt-get install kannel)" >&2; exit 1; }
  command -v redis-server >/dev/null || { echo "kannel-throwaway: redis-server not found (apt-get install redis-server)" >&2; exit 1; }
  [ -x "$FAKESMSC" ] || { echo "kannel-throwaway: $FAKESMSC not found (apt-get install kannel-extras)" >&2; exit 1; }
  DIR=$(mktemp -d -t madoguchi-kannel.XXXXXX)
  ADMIN=$(free_port); SMSBOX=$(free_port); MT=$(free_port); MO=$(free_port); SENDSMS=$(free_port); REDIS=$(free_port)
  USER=mdg; PASS=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'); ADMIN_PASS=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  ESCAPED_MO=$(printf '%s' "$MO_URL" | sed 's/[&|\\]/\\&/g')
  sed -e "s|@DIR@|$DIR|g" -e "s|@ADMIN_PORT@|$ADMIN|g" -e "s|@SMSBOX_PORT@|$SMSBOX|g" -e "s|@MT_PORT@|$MT|g" -e "s|@MO_PORT@|$MO|g" \
    -e "s|@SENDSMS_PORT@|$SENDSMS|g" -e "s|@REDIS_PORT@|$REDIS|g" -e "s|@USER@|$USER|g" -e "s|@PASS@|$PASS|g" -e "s|@ADMIN_PASS@|$ADMIN_PASS|g" \
    -e "s|@MO_URL@|$ESCAPED_MO|g" "${KANNEL_CONF_IN:-$ROOT/deploy/kannel/kannel-test.conf.in}" >"$DIR/kannel.conf"
  mkdir -p "$DIR/dlr" "$DIR/store"  # for a configuration with spools (KANNEL_CONF_IN, benchmarks)
  redis-server --bind 127.0.0.1 --port "$REDIS" --dir "$DIR" --appendonly yes --appendfsync everysec --save "" --daemonize no \
    >"$DIR/redis.out" 2>&1 &
  echo $! >"$DIR/redis.pid"
  wait_port "$REDIS" || give_up "redis-server did not start (redis.out)"
  /usr/sbin/bearerbox -v 2 "$DIR/kannel.conf" >"$DIR/bearerbox.out" 2>&1 &
  echo $! >"$DIR/bearerbox.pid"
  wait_port "$SMSBOX" || give_up "bearerbox did not start (bearerbox.out)"
  # The SMSC: every message Kannel sends is printed here ("Got message N: <from to type text>").
  "$FAKESMSC" -H 127.0.0.1 -r "$MT" -m 0 "0 0 text x" >"$DIR/fakesmsc.log" 2>&1 &
  echo $! >"$DIR/fakesmsc.pid"
  /usr/sbin/smsbox -v 2 "$DIR/kannel.conf" >"$DIR/smsbox.out" 2>&1 &
  echo $! >"$DIR/smsbox.pid"
  wait_port "$SENDSMS" || give_up "smsbox did not start (smsbox.out)"
  # Until the SMSC is connected, Kannel queues what it is given (store-type=file keeps it).
  for _ in $(seq 1 50); do
    if curl -s "http://127.0.0.1:$ADMIN/status.txt?password=$ADMIN_PASS" | grep -q "mt\[.*online"; then break; fi
    sleep 0.1
  done
  echo "export KANNEL_DIR=$DIR KANNEL_SENDSMS_URL=http://127.0.0.1:$SENDSMS/cgi-bin/sendsms KANNEL_USER=$USER KANNEL_PASS=$PASS" \
       "KANNEL_MO_PORT=$MO KANNEL_ADMIN_URL='http://127.0.0.1:$ADMIN/status.txt?password=$ADMIN_PASS' KANNEL_FAKESMSC_LOG=$DIR/fakesmsc.log" \
       "KANNEL_ADMIN=http://127.0.0.1:$ADMIN KANNEL_ADMIN_PASS=$ADMIN_PASS"
  ;;
stop)
  DIR=${2:?usage: kannel-throwaway.sh stop KANNEL_DIR}
  for p in smsbox fakesmsc bearerbox redis; do
    [ -f "$DIR/$p.pid" ] && kill "$(cat "$DIR/$p.pid")" 2>/dev/null || true
  done
  sleep 0.5
  for p in smsbox fakesmsc bearerbox redis; do
    [ -f "$DIR/$p.pid" ] && kill -9 "$(cat "$DIR/$p.pid")" 2>/dev/null || true
  done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
  ;;
*) echo "usage: $0 start MO_URL | stop KANNEL_DIR" >&2; exit 2 ;;
esac
