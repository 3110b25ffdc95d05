#!/usr/bin/env bash
# Runs the engine benchmarks on one core (see docs/benchmarks.md for recorded results).
set -euo pipefail
cd "$(dirname "$0")/.."
taskset -c 1 build/bench/queueing_bench
taskset -c 1 build/bench/sim_bench --benchmark_filter=OneCore
build/bench/sim_bench --benchmark_filter=Replications
