// `madoguchi plan --scenario FILE [--json F] [--csv F] [--html F]`: forecast → staffing → lines →
// shifts → budget → what-if → simulation check. JSON on stdout unless written to files. Every
// output is computed before any is written, and each file is written to a temporary name and
// renamed, so a failure leaves nothing half-written.
#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "app/files.hpp"
#include "app/plan_command.hpp"
#include "formats/plan_scenario.hpp"
#include "planning/report.hpp"

namespace madoguchi::app {
namespace {

struct Values {
  std::string scenario, json, csv, html;
};

int RunPlan(const Values& v) {
  auto text = ReadFile(v.scenario);
  if (!text) {
    std::fprintf(stderr, "madoguchi: --scenario: cannot read %s\n", v.scenario.c_str());
    return kExitUsage;
  }
  auto sc = formats::ParsePlanScenario(*text);
  if (!sc.ok()) {
    std::fprintf(stderr, "madoguchi: %s: %s: %s\n", v.scenario.c_str(), sc.status().field().c_str(), sc.status().message().c_str());
    return kExitUsage;
  }
  std::optional<std::string> history, events;
  if (sc->history) {
    const auto dir = std::filesystem::path(v.scenario).parent_path();
    if (sc->history->file.empty()) {
      std::fprintf(stderr, "madoguchi: %s: history.file: is required\n", v.scenario.c_str());
      return kExitUsage;
    }
    history = ReadFile((dir / sc->history->file).string());
    if (!history) {
      std::fprintf(stderr, "madoguchi: %s: history.file: cannot read %s\n", v.scenario.c_str(), (dir / sc->history->file).c_str());
      return kExitUsage;
    }
    if (!sc->history->events_file.empty()) {
      events = ReadFile((dir / sc->history->events_file).string());
      if (!events) {
        std::fprintf(stderr, "madoguchi: %s: history.events_file: cannot read %s\n", v.scenario.c_str(),
                     (dir / sc->history->events_file).c_str());
        return kExitUsage;
      }
    }
  }
  auto out = formats::BuildPlan(*sc, history ? std::optional<std::string_view>(*history) : std::nullopt,
                                events ? std::optional<std::string_view>(*events) : std::nullopt);
  if (!out.ok()) {
    std::fprintf(stderr, "madoguchi: %s: %s: %s\n", v.scenario.c_str(), out.status().field().c_str(), out.status().message().c_str());
    return out.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  const std::string json = formats::PlanJson(*out);
  const std::string csv = v.csv.empty() ? "" : planning::PlanCsv(out->plan);
  const std::string html = v.html.empty() ? "" : planning::PlanHtml(out->plan, out->info);
  for (const auto& [path, content, option] : {std::tuple{v.json, json, "--json"}, {v.csv, csv, "--csv"}, {v.html, html, "--html"}}) {
    if (path.empty()) continue;
    if (!WriteAtomically(path, content)) {
      std::fprintf(stderr, "madoguchi: %s: cannot write %s\n", option, path.c_str());
      return kExitFailure;
    }
  }
  if (v.json.empty()) std::printf("%s\n", json.c_str());
  const auto& p = out->plan;
  std::fprintf(
      stderr, "madoguchi: %.0f calls, %.0f operator hours, %d lines, total %.0f yen; service level %.1f%% (Erlang)%s; %d short intervals\n",
      p.planned_calls, p.budget.agent_hours, p.budget.lines, p.budget.total, p.erlang_service_level * 100,
      p.sim_service_level ? (", " + std::to_string(*p.sim_service_level * 100).substr(0, 4) + "% (simulated)").c_str() : "",
      p.short_intervals);
  return kExitOk;
}

}  // namespace

void DefinePlanCommand(CLI::App& cli, std::function<void(std::function<int()>)> set) {
  auto v = std::make_shared<Values>();
  auto* cmd = cli.add_subcommand("plan", "forecast, staffing, lines, shifts (MIP), budget, what-if and simulation check");
  cmd->add_option("--scenario", v->scenario, "planning scenario (JSON; see docs/planning.md)")->required();
  cmd->add_option("--json", v->json, "write the plan as JSON here (default: stdout)");
  cmd->add_option("--csv", v->csv, "write one row per interval here");
  cmd->add_option("--html", v->html, "write the self-contained HTML report here");
  cmd->callback([v, set] { set([v] { return RunPlan(*v); }); });
}

}  // namespace madoguchi::app
