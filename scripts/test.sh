#!/usr/bin/env bash
# Runs every test: starts a throwaway PostgreSQL for the store/web/app suites, runs ctest, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

eval "$(scripts/pg-throwaway.sh start)"
trap '"$ROOT"/scripts/pg-throwaway.sh stop "$PGTMP"' EXIT
export MADOGUCHI_TEST_PG_URL="$DATABASE_URL" MADOGUCHI_REQUIRE_PG=1
echo "test PostgreSQL on 127.0.0.1:$PGPORT"

cd build
ctest -j"$(nproc)" --output-on-failure --timeout 600
