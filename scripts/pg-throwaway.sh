#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a free loopback port, for tests.
#   eval "$(scripts/pg-throwaway.sh start)"   # exports PGTMP PGPORT DATABASE_URL
#   scripts/pg-throwaway.sh stop "$PGTMP"
#   DURABLE=1 scripts/pg-throwaway.sh start   # fsync and synchronous commit on (for benchmarks)
# Runs the server as user postgres when started by root (initdb refuses root). By default fsync is
# off: the cluster lives for one test run.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "pg-throwaway: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

case "${1:-}" in
start)
  PGTMP=$(mktemp -d -t madoguchi-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGTMP"
  PGPORT=$(free_port)
  as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log" 2>&1
  SAFETY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${DURABLE:-0}" = 1 ] && SAFETY="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP $SAFETY -c max_connections=300" \
    start >/dev/null
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres madoguchi_test
  echo "export PGTMP=$PGTMP PGPORT=$PGPORT DATABASE_URL=postgresql://postgres@127.0.0.1:$PGPORT/madoguchi_test"
  ;;
stop)
  PGTMP=${2:?usage: pg-throwaway.sh stop PGTMP}
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
  ;;
*) echo "usage: $0 start | stop PGTMP" >&2; exit 2 ;;
esac
