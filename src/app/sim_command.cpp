// `madoguchi simulate --scenario FILE.json --replications R --seed S`: JSON on stdout.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "app/files.hpp"
#include "app/sim_command.hpp"
#include "formats/sim_scenario.hpp"
#include "sim/simulator.hpp"

namespace madoguchi::app {
namespace {

using Json = nlohmann::ordered_json;

Json EstimateJson(const sim::Estimate& e) { return Json{{"mean", e.mean}, {"ci95", e.ci95}}; }

Json IntervalJson(const sim::IntervalEstimate& e) {
  return Json{{"offered", EstimateJson(e.offered)},
              {"answered", EstimateJson(e.answered)},
              {"abandoned", EstimateJson(e.abandoned)},
              {"blocked", EstimateJson(e.blocked)},
              {"redials", EstimateJson(e.redials)},
              {"service_level", EstimateJson(e.service_level)},
              {"mean_wait_sec", EstimateJson(e.mean_wait_sec)},
              {"p_wait", EstimateJson(e.p_wait)},
              {"occupancy", EstimateJson(e.occupancy)}};
}

int Simulate(const std::string& path, int replications, uint64_t seed, int threads) {
  auto text = ReadFile(path);
  if (!text) {
    std::fprintf(stderr, "madoguchi: --scenario: cannot read %s\n", path.c_str());
    return 2;
  }
  auto scenario = formats::ParseSimScenario(*text);
  if (!scenario.ok()) {
    std::fprintf(stderr, "madoguchi: %s: %s: %s\n", path.c_str(), scenario.status().field().c_str(), scenario.status().message().c_str());
    return 2;
  }
  auto result = sim::Simulate(*scenario, {replications, seed, threads});
  if (!result.ok()) {
    std::fprintf(stderr, "madoguchi: --%s: %s\n", result.status().field().c_str(), result.status().message().c_str());
    return 2;
  }
  Json out;
  out["replications"] = result->replications;
  out["seed"] = result->seed;
  out["events"] = result->events;
  out["totals"] = IntervalJson(result->totals);
  Json intervals = Json::array();
  for (size_t i = 0; i < result->intervals.size(); ++i) {
    Json j{{"index", i}, {"start_sec", i * scenario->interval_sec}};
    const Json metrics = IntervalJson(result->intervals[i]);
    for (const auto& [k, v] : metrics.items()) j[k] = v;
    intervals.push_back(std::move(j));
  }
  out["intervals"] = std::move(intervals);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

void DefineSimCommand(CLI::App& cli, std::function<void(std::function<int()>)> set) {
  struct Values {
    std::string scenario;
    int replications = 100;
    uint64_t seed = 1;
    int threads = 0;
  };
  auto v = std::make_shared<Values>();
  auto* cmd = cli.add_subcommand("simulate", "discrete-event simulation of a scenario (JSON out, with 95 % CIs)");
  cmd->add_option("--scenario", v->scenario, "scenario file (JSON; see docs/simulate.md)")->required();
  cmd->add_option("--replications", v->replications, "independent replications")->capture_default_str();
  cmd->add_option("--seed", v->seed, "random seed; the same seed gives the same output")->capture_default_str();
  cmd->add_option("--threads", v->threads, "worker threads (0: one per core)")->capture_default_str();
  cmd->callback([v, set] { set([v] { return Simulate(v->scenario, v->replications, v->seed, v->threads); }); });
}

}  // namespace madoguchi::app
