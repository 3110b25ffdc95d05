// Simulator throughput.
//   taskset -c 1 build/bench/sim_bench --benchmark_filter=OneCore
//   build/bench/sim_bench --benchmark_filter=Replications
// Target (issue #3): >= 20 million events per second on one core on M/M/10 at 95 % load;
// replications scale across cores.
#include <benchmark/benchmark.h>

#include "sim/simulator.hpp"

namespace madoguchi::sim {
namespace {

// M/M/10 at 95 % load: A = 9.5 Erlangs (AHT 180 s, 190 calls/h), 48 half-hour intervals.
Scenario MM10() {
  Scenario s;
  s.service = {DistributionKind::kExponential, 180};
  for (int i = 0; i < 48 * 7; ++i) s.intervals.push_back({95, 10});
  return s;
}

void BM_MM10_95pct_OneCore(benchmark::State& state) {
  const Scenario s = MM10();
  uint64_t events = 0, index = 0;
  for (auto _ : state) {
    Replication r = RunReplication(s, 1, index++);
    events += r.events;
    benchmark::DoNotOptimize(r);
  }
  state.counters["events_per_sec"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MM10_95pct_OneCore)->Unit(benchmark::kMillisecond);

void BM_MM10_95pct_Replications(benchmark::State& state) {
  const Scenario s = MM10();
  const int threads = static_cast<int>(state.range(0));
  uint64_t events = 0;
  for (auto _ : state) {
    auto r = Simulate(s, {32, 1, threads});
    events += r->events;
  }
  state.counters["events_per_sec"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MM10_95pct_Replications)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace madoguchi::sim

BENCHMARK_MAIN();
