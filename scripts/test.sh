#!/usr/bin/env bash
# Runs every test: starts a throwaway PostgreSQL for the store/web/app suites, runs ctest, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# The sources are formatted as .clang-format says (scripts/format.sh formats them).
scripts/format.sh --check

# playwright-core for the browser tests (it drives Debian's chromium; it downloads no browser).
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

PGENV=$(scripts/pg-throwaway.sh start) || { echo "test: cannot start the test PostgreSQL" >&2; exit 1; }
eval "$PGENV"
trap '"$ROOT"/scripts/pg-throwaway.sh stop "$PGTMP"' EXIT
export MADOGUCHI_TEST_PG_URL="$DATABASE_URL" MADOGUCHI_REQUIRE_PG=1
# Tests of the real data in ../shared/data fail, not skip, when it is missing.
export MADOGUCHI_REQUIRE_SHARED_DATA=1
echo "test PostgreSQL on 127.0.0.1:$PGPORT"

cd build
ctest -j"$(nproc)" --output-on-failure --timeout 600
