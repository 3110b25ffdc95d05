#!/usr/bin/env bash
# Starts the server on SQLite under ./data with the demo municipality and accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${MADOGUCHI_DB:-sqlite:data/madoguchi.db}"
LISTEN="${MADOGUCHI_LISTEN:-127.0.0.1:8080}"
mkdir -p data && chmod 700 data   # personal data: the owner only
build/madoguchi demo --db "$DB" --credentials data/demo-accounts.txt
echo
echo "Open http://$LISTEN/ and log in with one of the accounts above. Stop with Ctrl-C."
exec build/madoguchi serve --db "$DB" --listen "$LISTEN"
