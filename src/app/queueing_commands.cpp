// `madoguchi erlang b|c|a` and `madoguchi staff`: the queueing engine on the command line, JSON
// on stdout; invalid input exits 2 with one line naming the option.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "app/queueing_commands.hpp"
#include "queueing/erlang.hpp"

namespace madoguchi::app {
namespace {

using Json = nlohmann::ordered_json;

// Engine fields are snake_case; the options that carry them are --kebab-case.
std::string OptionName(const std::string& field) {
  std::string out = "--" + field;
  for (char& c : out) {
    if (c == '_') c = '-';
  }
  return out;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "madoguchi: %s: %s\n", OptionName(s.field()).c_str(), s.message().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Json MetricsJson(const queueing::QueueMetrics& m, bool with_abandon) {
  Json j;
  j["traffic_erlangs"] = m.traffic_erlangs;
  j["p_wait"] = m.p_wait;
  j["service_level"] = m.service_level;
  j["mean_wait_sec"] = m.mean_wait_sec;
  j["occupancy"] = m.occupancy;
  if (with_abandon) j["p_abandon"] = m.p_abandon;
  return j;
}

int Print(const Json& j) {
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace

void DefineQueueingCommands(CLI::App& cli, std::function<void(std::function<int()>)> set) {
  struct Values {
    double traffic = 0, calls_per_hour = 0, aht = 0, within = 20, patience = 0, service_level = 0.8;
    double max_abandon = 0, max_occupancy = 0, max_wait = 0;
    int lines = 0, agents = 0;
  };
  auto v = std::make_shared<Values>();

  auto* erlang = cli.add_subcommand("erlang", "Erlang B, C and A formulas (JSON on stdout)");
  erlang->require_subcommand(1);

  auto* b = erlang->add_subcommand("b", "blocking probability for N lines (Erlang B)");
  b->add_option("--traffic", v->traffic, "offered traffic in Erlangs")->required();
  b->add_option("--lines", v->lines, "number of lines")->required();
  b->callback([v, set] {
    set([v] {
      auto p = queueing::ErlangB(v->traffic, v->lines);
      if (!p.ok()) return Fail(p.status());
      return Print(Json{{"p_block", *p}});
    });
  });

  auto add_load = [v](CLI::App* cmd) {
    cmd->add_option("--calls-per-hour", v->calls_per_hour, "arrival rate")->required();
    cmd->add_option("--aht-sec", v->aht, "mean handle time in seconds")->required();
    cmd->add_option("--answer-within-sec", v->within, "service-level threshold T in seconds")->capture_default_str();
  };

  auto* c = erlang->add_subcommand("c", "M/M/N queue, infinite patience (Erlang C)");
  add_load(c);
  c->add_option("--agents", v->agents, "agents (must exceed the traffic)")->required();
  c->callback([v, set] {
    set([v] {
      auto m = queueing::ErlangC({v->calls_per_hour, v->aht}, v->agents, v->within);
      if (!m.ok()) return Fail(m.status());
      return Print(MetricsJson(*m, false));
    });
  });

  auto* a = erlang->add_subcommand("a", "M/M/N+M queue with exponential patience (Erlang A)");
  add_load(a);
  a->add_option("--patience-sec", v->patience, "mean patience in seconds")->required();
  a->add_option("--agents", v->agents, "agents")->required();
  a->callback([v, set] {
    set([v] {
      auto m = queueing::ErlangA({v->calls_per_hour, v->aht}, v->patience, v->agents, v->within);
      if (!m.ok()) return Fail(m.status());
      return Print(MetricsJson(*m, true));
    });
  });

  auto* staff = cli.add_subcommand("staff", "the fewest agents meeting every target (Erlang C, or A with --patience-sec)");
  add_load(staff);
  staff->add_option("--service-level", v->service_level, "share of calls answered within T")->capture_default_str();
  auto* patience = staff->add_option("--patience-sec", v->patience, "mean patience: use Erlang A");
  auto* abandon = staff->add_option("--max-abandon", v->max_abandon, "highest share abandoning (needs --patience-sec)");
  auto* occupancy = staff->add_option("--max-occupancy", v->max_occupancy, "highest agent occupancy");
  auto* wait = staff->add_option("--max-mean-wait-sec", v->max_wait, "longest mean wait over all calls");
  staff->callback([v, set, patience, abandon, occupancy, wait] {
    queueing::StaffingTarget t;
    t.service_level = v->service_level;
    t.answer_within_sec = v->within;
    if (patience->count()) t.patience_sec = v->patience;
    if (abandon->count()) t.max_abandon = v->max_abandon;
    if (occupancy->count()) t.max_occupancy = v->max_occupancy;
    if (wait->count()) t.max_mean_wait_sec = v->max_wait;
    set([v, t] {
      auto m = queueing::RequiredAgents({v->calls_per_hour, v->aht}, t);
      if (!m.ok()) return Fail(m.status());
      Json j;
      j["agents"] = m->agents;
      const Json metrics = MetricsJson(*m, t.patience_sec.has_value());
      for (const auto& [k, val] : metrics.items()) j[k] = val;
      return Print(j);
    });
  });
}

}  // namespace madoguchi::app
