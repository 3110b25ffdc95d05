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

# Below the kernel's ephemeral range (32768-60999 by default), so no client connection of a test
# or a benchmark can be holding the port as its local end.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 12000 ))
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
  # A port free a moment ago can be taken before the server binds it: try another, a few times.
  for attempt in 1 2 3 4 5; do
    if as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP $SAFETY -c max_connections=300" \
      start >/dev/null; then
      break
    fi
    if [ "$attempt" = 5 ]; then
      echo "pg-throwaway: PostgreSQL did not start; see $PGTMP/server.log" >&2
      exit 1
    fi
    PGPORT=$(free_port)
  done
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
