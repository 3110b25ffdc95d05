// Queueing engine benchmarks.
//   build/bench/queueing_bench --benchmark_min_time=1
// Targets (issue #3): Erlang C at N = 10,000 in <= 10 us; a year of 30-minute intervals (17,520)
// staffed in <= 50 ms on one core.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "queueing/erlang.hpp"

namespace madoguchi::queueing {
namespace {

// Erlang C at 10,000 agents, 98 % utilisation (the recursion runs all 10,000 steps).
void BM_ErlangC_10000Agents(benchmark::State& state) {
  const CallLoad load{196'000, 180};  // 9,800 Erlangs
  for (auto _ : state) {
    auto m = ErlangC(load, 10'000, 20);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_ErlangC_10000Agents);

void BM_ErlangB_20000Lines(benchmark::State& state) {
  for (auto _ : state) {
    auto b = ErlangB(19'500.75, 20'000);
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(BM_ErlangB_20000Lines);

void BM_ErlangA_14Agents(benchmark::State& state) {
  for (auto _ : state) {
    auto m = ErlangA({200, 180}, 300, 14, 20);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_ErlangA_14Agents);

// A year of 30-minute intervals for a hotline with a daily and weekly rhythm: 0 to ~1,200 calls
// per hour (0 to 60 Erlangs at AHT 180 s), staffed to 80 % within 20 s with Erlang C.
std::vector<CallLoad> YearOfIntervals() {
  std::vector<CallLoad> loads;
  loads.reserve(17'520);
  for (int i = 0; i < 17'520; ++i) {
    const double hour = (i % 48) / 2.0;
    const int weekday = (i / 48) % 7;
    const double day_shape = hour < 8 || hour >= 21 ? 0.02 : std::sin(M_PI * (hour - 8) / 13);
    const double week = weekday >= 5 ? 0.5 : 1.0;
    const double season = 1.0 + 0.5 * std::sin(2 * M_PI * i / 17'520.0);
    loads.push_back({800 * day_shape * week * season + 1, 180});
  }
  return loads;
}

void BM_StaffYearErlangC(benchmark::State& state) {
  const auto loads = YearOfIntervals();
  const StaffingTarget target{0.8, 20};
  for (auto _ : state) {
    long total = 0;
    for (const auto& load : loads) total += RequiredAgents(load, target)->agents;
    benchmark::DoNotOptimize(total);
  }
  state.counters["intervals"] = static_cast<double>(loads.size());
}
BENCHMARK(BM_StaffYearErlangC)->Unit(benchmark::kMillisecond);

void BM_StaffYearErlangA(benchmark::State& state) {
  const auto loads = YearOfIntervals();
  StaffingTarget target{0.8, 20};
  target.patience_sec = 300;
  target.max_abandon = 0.05;
  for (auto _ : state) {
    long total = 0;
    for (const auto& load : loads) total += RequiredAgents(load, target, 2000)->agents;
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(BM_StaffYearErlangA)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace madoguchi::queueing

BENCHMARK_MAIN();
