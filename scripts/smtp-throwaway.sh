#!/usr/bin/env bash
# A throwaway SMTP server on a free loopback port (aiosmtpd from python3-aiosmtpd, handler
# scripts/smtp_sink.py) that writes every message it receives to a Maildir, for tests.
#   eval "$(scripts/smtp-throwaway.sh start)"   # exports SMTP_DIR SMTP_URL SMTP_MAILDIR
#   scripts/smtp-throwaway.sh stop "$SMTP_DIR"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3  # Debian's, which has aiosmtpd (another python3 on PATH may not)

case "${1:-}" in
start)
  "$PY" -c 'import aiosmtpd' 2>/dev/null || { echo "smtp-throwaway: aiosmtpd not found (apt-get install python3-aiosmtpd)" >&2; exit 1; }
  DIR=$(mktemp -d -t madoguchi-smtp.XXXXXX)
  PORT=$("$PY" -c 'import socket,random
for _ in range(200):
    p=random.randint(32001,40000); s=socket.socket()
    try: s.bind(("127.0.0.1",p)); s.close(); print(p); break
    except OSError: pass')
  PYTHONPATH="$ROOT/scripts" "$PY" -m aiosmtpd -n -l "127.0.0.1:$PORT" -c smtp_sink.Sink "$DIR/maildir" >"$DIR/smtp.out" 2>&1 &
  echo $! >"$DIR/smtp.pid"
  for _ in $(seq 1 100); do
    if (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      echo "export SMTP_DIR=$DIR SMTP_URL=smtp://127.0.0.1:$PORT SMTP_MAILDIR=$DIR/maildir"
      exit 0
    fi
    sleep 0.1
  done
  echo "smtp-throwaway: the SMTP server did not start; see $DIR/smtp.out" >&2
  exit 1
  ;;
stop)
  DIR=${2:?usage: smtp-throwaway.sh stop SMTP_DIR}
  [ -f "$DIR/smtp.pid" ] && kill "$(cat "$DIR/smtp.pid")" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
  ;;
*) echo "usage: $0 start | stop SMTP_DIR" >&2; exit 2 ;;
esac
