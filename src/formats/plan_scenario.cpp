#include "formats/plan_scenario.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "formats/internal/json_support.hpp"

#include "formats/history_csv.hpp"

namespace madoguchi::formats {
namespace {

using internal::OnlyKeys;
using nlohmann::json;
using nlohmann::ordered_json;

std::string Join(const std::string& at, const std::string& key) { return at.empty() ? key : at + "." + key; }

Result<const json*> Object(const json& parent, const std::string& key, const std::string& at, bool required) {
  if (!parent.contains(key)) {
    if (required) return InvalidArgumentError(Join(at, key), "is required");
    return static_cast<const json*>(nullptr);
  }
  const json& v = parent[key];
  if (!v.is_object()) return InvalidArgumentError(Join(at, key), "must be an object");
  return &v;
}

Result<double> Number(const json& obj, const std::string& key, const std::string& at) {
  const json& v = obj.at(key);
  if (!v.is_number()) return InvalidArgumentError(Join(at, key), "must be a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) return InvalidArgumentError(Join(at, key), "must be a finite number");
  return d;
}

Result<int> Integer(const json& obj, const std::string& key, const std::string& at) {
  MADOGUCHI_ASSIGN_OR_RETURN(double d, Number(obj, key, at));
  if (d != std::floor(d) || std::abs(d) > 2e9) return InvalidArgumentError(Join(at, key), "must be a whole number");
  return static_cast<int>(d);
}

Result<std::string> String(const json& obj, const std::string& key, const std::string& at) {
  const json& v = obj.at(key);
  if (!v.is_string()) return InvalidArgumentError(Join(at, key), "must be a string");
  return v.get<std::string>();
}

Result<forecast::Day> Date(const json& obj, const std::string& key, const std::string& at) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::string s, String(obj, key, at));
  auto d = ParseIsoDate(s);
  if (!d) return InvalidArgumentError(Join(at, key), "must be a date YYYY-MM-DD");
  return *d;
}

Result<int> Clock(const json& obj, const std::string& key, const std::string& at) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::string s, String(obj, key, at));
  auto m = forecast::ParseClock(s);
  if (!m) return InvalidArgumentError(Join(at, key), "must be a time HH:MM");
  return *m;
}

// "08:30-17:15" or null (closed).
Result<std::optional<std::pair<int, int>>> Hours(const json& obj, const std::string& key, const std::string& at) {
  const json& v = obj.at(key);
  if (v.is_null()) return std::optional<std::pair<int, int>>();
  if (!v.is_string()) return InvalidArgumentError(Join(at, key), "must be \"HH:MM-HH:MM\" or null (closed)");
  auto r = forecast::ParseHoursRange(v.get<std::string>());
  if (!r.ok()) return InvalidArgumentError(Join(at, key), r.status().message());
  return std::optional<std::pair<int, int>>(*r);
}

Result<std::vector<forecast::Batch>> Batches(const json& obj, const std::string& key, const std::string& at) {
  std::vector<forecast::Batch> out;
  if (!obj.contains(key)) return out;
  const json& arr = obj[key];
  const std::string path = Join(at, key);
  if (!arr.is_array()) return InvalidArgumentError(path, "must be an array of {\"date\", \"count\"}");
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string ai = path + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return InvalidArgumentError(ai, "must be an object {\"date\", \"count\"}");
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(arr[i], {"date", "count", "label"}, ai));
    if (!arr[i].contains("date")) return InvalidArgumentError(ai + ".date", "is required");
    if (!arr[i].contains("count")) return InvalidArgumentError(ai + ".count", "is required");
    forecast::Batch b;
    MADOGUCHI_ASSIGN_OR_RETURN(b.day, Date(arr[i], "date", ai));
    MADOGUCHI_ASSIGN_OR_RETURN(b.count, Number(arr[i], "count", ai));
    out.push_back(b);
  }
  return out;
}

Status ParseProfile(const json& p, forecast::CityProfile& c) {
  const std::string at = "profile";
  MADOGUCHI_RETURN_IF_ERROR(
      OnlyKeys(p, {"population", "target_group", "start", "days", "mailings", "booking_opens", "events", "channel_mix", "parameters"}, at));
  for (const char* k : {"population", "start", "days"}) {
    if (!p.contains(k)) return InvalidArgumentError(Join(at, k), "is required");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(c.population, Number(p, "population", at));
  if (p.contains("target_group")) {
    MADOGUCHI_ASSIGN_OR_RETURN(c.target_group, Number(p, "target_group", at));
  }
  MADOGUCHI_ASSIGN_OR_RETURN(c.start, Date(p, "start", at));
  MADOGUCHI_ASSIGN_OR_RETURN(c.days, Integer(p, "days", at));
  MADOGUCHI_ASSIGN_OR_RETURN(c.mailings, Batches(p, "mailings", at));
  MADOGUCHI_ASSIGN_OR_RETURN(c.booking_opens, Batches(p, "booking_opens", at));
  if (p.contains("events")) {
    const json& arr = p["events"];
    if (!arr.is_array()) return InvalidArgumentError("profile.events", "must be an array of {\"date\", \"kind\", \"size\"}");
    for (size_t i = 0; i < arr.size(); ++i) {
      const std::string ai = "profile.events[" + std::to_string(i) + "]";
      if (!arr[i].is_object()) return InvalidArgumentError(ai, "must be an object");
      MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(arr[i], {"date", "kind", "size", "label"}, ai));
      if (!arr[i].contains("date") || !arr[i].contains("kind")) return InvalidArgumentError(ai, "needs date and kind");
      forecast::Event e;
      MADOGUCHI_ASSIGN_OR_RETURN(e.day, Date(arr[i], "date", ai));
      MADOGUCHI_ASSIGN_OR_RETURN(std::string kind, String(arr[i], "kind", ai));
      auto k = forecast::ParseEventKind(kind);
      if (!k || *k == forecast::EventKind::kMailing || *k == forecast::EventKind::kBookingOpen) {
        return InvalidArgumentError(ai + ".kind", "must be news, closed or open (mailings and booking_opens have their own lists)");
      }
      e.kind = *k;
      if (arr[i].contains("size")) {
        MADOGUCHI_ASSIGN_OR_RETURN(e.size, Number(arr[i], "size", ai));
        if (e.size < 0) return InvalidArgumentError(ai + ".size", "must be >= 0");
      }
      c.events.push_back(e);
    }
  }
  if (p.contains("channel_mix")) {
    MADOGUCHI_ASSIGN_OR_RETURN(const json* mix, Object(p, "channel_mix", at, true));
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(*mix, {"web", "line"}, "profile.channel_mix"));
    if (mix->contains("web")) {
      MADOGUCHI_ASSIGN_OR_RETURN(c.web_share, Number(*mix, "web", "profile.channel_mix"));
    }
    if (mix->contains("line")) {
      MADOGUCHI_ASSIGN_OR_RETURN(c.line_share, Number(*mix, "line", "profile.channel_mix"));
    }
    if (c.web_share < 0 || c.line_share < 0 || c.web_share + c.line_share > 1) {
      return InvalidArgumentError("profile.channel_mix", "web and line must be >= 0 and add up to at most 1");
    }
  }
  if (p.contains("parameters")) {
    MADOGUCHI_ASSIGN_OR_RETURN(const json* q, Object(p, "parameters", at, true));
    const std::string pa = "profile.parameters";
    forecast::ResponseParams& r = c.params;
    const std::pair<const char*, double*> fields[] = {{"baseline_per_10k", &r.baseline_per_10k},
                                                      {"mailing_delivery_days", &r.mailing_delivery_days},
                                                      {"mailing_inquiry_rate", &r.mailing_inquiry_rate},
                                                      {"mailing_half_life_days", &r.mailing_half_life_days},
                                                      {"booking_take_up", &r.booking_take_up},
                                                      {"booking_half_life_days", &r.booking_half_life_days},
                                                      {"opening_rush_half_life_hours", &r.opening_rush_half_life_hours},
                                                      {"news_half_life_days", &r.news_half_life_days},
                                                      {"log_spread", &r.log_spread}};
    std::set<std::string> names;
    for (const auto& [k, ptr] : fields) names.insert(k);
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(*q, names, pa));
    for (const auto& [k, ptr] : fields) {
      if (!q->contains(k)) continue;
      MADOGUCHI_ASSIGN_OR_RETURN(*ptr, Number(*q, k, pa));
      if (*ptr < 0) return InvalidArgumentError(Join(pa, k), "must be >= 0");
      if (std::string(k).find("half_life") != std::string::npos && *ptr <= 0) return InvalidArgumentError(Join(pa, k), "must be > 0");
    }
    if (r.booking_take_up > 1) return InvalidArgumentError(pa + ".booking_take_up", "is a share: at most 1");
  }
  return Status::Ok();
}

// "days": ["monday", …, "sunday", "holiday"], or "weekday" (Monday–Friday) and "weekend"
// (Saturday, Sunday) for short: the days a shift pattern is worked; the rest are not.
Status ShiftDays(const json& days, const std::string& at, planning::ShiftPattern& p) {
  if (!days.is_array() || days.empty()) {
    return InvalidArgumentError(at, "must be a non-empty array of monday..sunday, weekday, weekend, holiday");
  }
  p.on_weekday.fill(false);
  p.on_holiday = false;
  static const char* const kNames[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  for (size_t i = 0; i < days.size(); ++i) {
    const std::string where = at + "[" + std::to_string(i) + "]";
    if (!days[i].is_string()) return InvalidArgumentError(where, "must be a day's name such as \"saturday\"");
    const std::string name = days[i].get<std::string>();
    bool known = true;
    if (name == "holiday") p.on_holiday = true;
    else if (name == "weekday") std::fill(p.on_weekday.begin(), p.on_weekday.begin() + 5, true);
    else if (name == "weekend") p.on_weekday[5] = p.on_weekday[6] = true;
    else {
      const auto* it = std::find(std::begin(kNames), std::end(kNames), name);
      known = it != std::end(kNames);
      if (known) p.on_weekday[static_cast<size_t>(it - std::begin(kNames))] = true;
    }
    if (!known) return InvalidArgumentError(where, "'" + name + "' is not one of monday..sunday, weekday, weekend, holiday");
  }
  return Status::Ok();
}

}  // namespace

Result<PlanScenario> ParsePlanScenario(std::string_view text) {
  MADOGUCHI_ASSIGN_OR_RETURN(json root, internal::ParseObject(text, "the scenario"));
  MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(
      root,
      {"name", "description", "profile", "history", "hours", "interval_minutes", "service", "lines", "staffing", "simulation", "solver"},
      ""));
  PlanScenario sc;
  planning::PlanSettings& s = sc.settings;
  if (root.contains("name")) {
    MADOGUCHI_ASSIGN_OR_RETURN(sc.name, String(root, "name", ""));
  }
  if (root.contains("profile") == root.contains("history")) {
    return InvalidArgumentError("profile", "give exactly one of \"profile\" (no history) or \"history\" (a call file)");
  }
  if (root.contains("profile")) {
    MADOGUCHI_ASSIGN_OR_RETURN(const json* p, Object(root, "profile", "", true));
    forecast::CityProfile c;
    MADOGUCHI_RETURN_IF_ERROR(ParseProfile(*p, c));
    sc.profile = c;
  } else {
    MADOGUCHI_ASSIGN_OR_RETURN(const json* h, Object(root, "history", "", true));
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(*h, {"file", "column", "events_file", "from", "horizon_days", "capacity"}, "history"));
    HistorySource hs;
    if (h->contains("file")) {
      MADOGUCHI_ASSIGN_OR_RETURN(hs.file, String(*h, "file", "history"));
    }
    if (h->contains("column")) {
      MADOGUCHI_ASSIGN_OR_RETURN(hs.column, String(*h, "column", "history"));
    }
    if (h->contains("events_file")) {
      MADOGUCHI_ASSIGN_OR_RETURN(hs.events_file, String(*h, "events_file", "history"));
    }
    if (h->contains("from")) {
      MADOGUCHI_ASSIGN_OR_RETURN(hs.from, Date(*h, "from", "history"));
    }
    if (h->contains("horizon_days")) {
      MADOGUCHI_ASSIGN_OR_RETURN(hs.horizon_days, Integer(*h, "horizon_days", "history"));
    }
    if (hs.horizon_days < 1 || hs.horizon_days > 366) return InvalidArgumentError("history.horizon_days", "must be 1 .. 366");
    if (h->contains("capacity")) {
      MADOGUCHI_ASSIGN_OR_RETURN(double cap, Number(*h, "capacity", "history"));
      if (cap <= 0) return InvalidArgumentError("history.capacity", "must be > 0 calls per day");
      hs.capacity = cap;
    }
    sc.history = hs;
  }
  // Opening hours.
  MADOGUCHI_ASSIGN_OR_RETURN(const json* hours, Object(root, "hours", "", true));
  MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(
      *hours, {"weekday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "holiday", "year_end_closed"},
      "hours"));
  if (hours->contains("weekday")) {
    MADOGUCHI_ASSIGN_OR_RETURN(auto wd, Hours(*hours, "weekday", "hours"));
    for (int d = 0; d < 5; ++d) s.hours.weekday[d] = wd;
  }
  const char* names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  for (int d = 0; d < 7; ++d) {
    if (hours->contains(names[d])) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.hours.weekday[d], Hours(*hours, names[d], "hours"));
    }
  }
  if (hours->contains("holiday")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.hours.holiday, Hours(*hours, "holiday", "hours"));
  }
  if (hours->contains("year_end_closed")) {
    if (!(*hours)["year_end_closed"].is_boolean()) return InvalidArgumentError("hours.year_end_closed", "must be true or false");
    s.hours.year_end_closed = (*hours)["year_end_closed"].get<bool>();
  }
  if (root.contains("interval_minutes")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.interval_minutes, Integer(root, "interval_minutes", ""));
  }
  // Service targets.
  MADOGUCHI_ASSIGN_OR_RETURN(const json* sv, Object(root, "service", "", true));
  MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(
      *sv,
      {"aht_sec", "answer_within_sec", "service_level", "patience_sec", "max_abandon", "max_occupancy", "max_mean_wait_sec", "plan_on"},
      "service"));
  if (!sv->contains("aht_sec")) return InvalidArgumentError("service.aht_sec", "is required (mean handle time in seconds)");
  MADOGUCHI_ASSIGN_OR_RETURN(s.service.aht_sec, Number(*sv, "aht_sec", "service"));
  if (sv->contains("answer_within_sec")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.service.answer_within_sec, Number(*sv, "answer_within_sec", "service"));
  }
  if (sv->contains("service_level")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.service.service_level, Number(*sv, "service_level", "service"));
  }
  for (auto [key, field] : {std::pair{"patience_sec", &s.service.patience_sec},
                            {"max_abandon", &s.service.max_abandon},
                            {"max_occupancy", &s.service.max_occupancy},
                            {"max_mean_wait_sec", &s.service.max_mean_wait_sec}}) {
    if (sv->contains(key)) {
      MADOGUCHI_ASSIGN_OR_RETURN(*field, Number(*sv, key, "service"));
    }
  }
  if (sv->contains("plan_on")) {
    MADOGUCHI_ASSIGN_OR_RETURN(std::string on, String(*sv, "plan_on", "service"));
    if (on != "p50" && on != "p90") return InvalidArgumentError("service.plan_on", "must be \"p50\" or \"p90\"");
    s.plan_on_p90 = on == "p90";
  }
  // Lines.
  MADOGUCHI_ASSIGN_OR_RETURN(const json* ln, Object(root, "lines", "", false));
  if (ln) {
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(*ln, {"max_blocking", "redial_probability", "redial_mean_delay_sec", "cost_per_line_day"}, "lines"));
    if (ln->contains("max_blocking")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.max_blocking, Number(*ln, "max_blocking", "lines"));
    }
    if (ln->contains("redial_probability")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.redial_probability, Number(*ln, "redial_probability", "lines"));
    }
    if (ln->contains("redial_mean_delay_sec")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.redial_mean_delay_sec, Number(*ln, "redial_mean_delay_sec", "lines"));
      if (!(s.redial_mean_delay_sec > 0)) return InvalidArgumentError("lines.redial_mean_delay_sec", "must be > 0");
    }
    if (ln->contains("cost_per_line_day")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.cost_per_line_day, Number(*ln, "cost_per_line_day", "lines"));
    }
  }
  // Staffing.
  MADOGUCHI_ASSIGN_OR_RETURN(const json* st, Object(root, "staffing", "", true));
  MADOGUCHI_RETURN_IF_ERROR(
      OnlyKeys(*st, {"min_agents", "max_agents", "cost_per_agent_hour", "pool", "max_days_per_week", "shifts"}, "staffing"));
  if (st->contains("min_agents")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.min_agents, Integer(*st, "min_agents", "staffing"));
  }
  if (!st->contains("max_agents")) return InvalidArgumentError("staffing.max_agents", "is required");
  MADOGUCHI_ASSIGN_OR_RETURN(s.max_agents, Integer(*st, "max_agents", "staffing"));
  if (st->contains("cost_per_agent_hour")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.cost_per_agent_hour, Number(*st, "cost_per_agent_hour", "staffing"));
  }
  if (st->contains("pool")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.pool, Integer(*st, "pool", "staffing"));
  }
  if (st->contains("max_days_per_week")) {
    MADOGUCHI_ASSIGN_OR_RETURN(s.max_days_per_week, Integer(*st, "max_days_per_week", "staffing"));
  }
  if (!st->contains("shifts") || !(*st)["shifts"].is_array()) {
    return InvalidArgumentError("staffing.shifts", "is required: an array of {\"name\", \"start\", \"end\", \"break_minutes\"}");
  }
  const json& shifts = (*st)["shifts"];
  for (size_t i = 0; i < shifts.size(); ++i) {
    const std::string at = "staffing.shifts[" + std::to_string(i) + "]";
    if (!shifts[i].is_object()) return InvalidArgumentError(at, "must be an object");
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(shifts[i], {"name", "start", "end", "break_minutes", "days"}, at));
    for (const char* k : {"start", "end"}) {
      if (!shifts[i].contains(k)) return InvalidArgumentError(Join(at, k), "is required (HH:MM)");
    }
    planning::ShiftPattern p;
    p.name = "shift " + std::to_string(i + 1);
    if (shifts[i].contains("name")) {
      MADOGUCHI_ASSIGN_OR_RETURN(p.name, String(shifts[i], "name", at));
    }
    MADOGUCHI_ASSIGN_OR_RETURN(p.start_minute, Clock(shifts[i], "start", at));
    MADOGUCHI_ASSIGN_OR_RETURN(p.end_minute, Clock(shifts[i], "end", at));
    if (shifts[i].contains("break_minutes")) {
      MADOGUCHI_ASSIGN_OR_RETURN(p.break_minutes, Integer(shifts[i], "break_minutes", at));
    }
    if (shifts[i].contains("days")) MADOGUCHI_RETURN_IF_ERROR(ShiftDays(shifts[i]["days"], Join(at, "days"), p));
    s.shifts.push_back(p);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(const json* sim, Object(root, "simulation", "", false));
  if (sim) {
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(*sim, {"replications", "seed"}, "simulation"));
    if (sim->contains("replications")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.sim_replications, Integer(*sim, "replications", "simulation"));
    }
    if (sim->contains("seed")) {
      MADOGUCHI_ASSIGN_OR_RETURN(int seed, Integer(*sim, "seed", "simulation"));
      if (seed < 0) return InvalidArgumentError("simulation.seed", "must be >= 0");
      s.seed = static_cast<uint64_t>(seed);
    }
  }
  MADOGUCHI_ASSIGN_OR_RETURN(const json* solver, Object(root, "solver", "", false));
  if (solver) {
    MADOGUCHI_RETURN_IF_ERROR(OnlyKeys(*solver, {"seconds"}, "solver"));
    if (solver->contains("seconds")) {
      MADOGUCHI_ASSIGN_OR_RETURN(s.solver_seconds, Number(*solver, "seconds", "solver"));
    }
  }
  Status valid = planning::ValidatePlanSettings(s);
  if (!valid.ok()) {
    // The engine names service/lines/staffing fields with their JSON paths already.
    std::string field = valid.field();
    if (field == "simulation.replications" || field == "solver.seconds" || field == "interval_minutes") return valid;
    return valid;
  }
  return sc;
}

Result<planning::PlanRequest> PlanRequestOf(const PlanScenario& sc, std::optional<std::string_view> history_csv,
                                            std::optional<std::string_view> events_csv) {
  planning::PlanRequest request{sc.name, sc.profile, std::nullopt, sc.settings, {}};
  if (!sc.profile) {
    if (!history_csv) return InvalidArgumentError("history.file", "no call history was given");
    HistoryOptions o;
    o.column = sc.history->column;
    o.from = sc.history->from;
    auto parsed = ParseHistoryCsv(*history_csv, o);
    if (!parsed.ok())
      return Status(parsed.status().code(), parsed.status().key(), parsed.status().message(), "history: " + parsed.status().field());
    planning::HistoryInput in{std::move(parsed->history), {}, sc.history->horizon_days, sc.history->capacity};
    if (events_csv) {
      auto e = ParseEventsCsv(*events_csv);
      if (!e.ok()) return Status(e.status().code(), e.status().key(), e.status().message(), "events: " + e.status().field());
      in.events = std::move(*e);
    }
    request.history = std::move(in);
  }
  return request;
}

Result<planning::PlanOutput> BuildPlan(const PlanScenario& sc, std::optional<std::string_view> history_csv,
                                       std::optional<std::string_view> events_csv, const planning::PlanProgress& progress) {
  MADOGUCHI_ASSIGN_OR_RETURN(planning::PlanRequest request, PlanRequestOf(sc, history_csv, events_csv));
  request.progress = progress;
  return planning::BuildPlan(request);
}

std::string PlanJson(const planning::PlanOutput& o) {
  const planning::PlanResult& p = o.plan;
  ordered_json j;
  j["name"] = o.info.title;
  j["interval_minutes"] = p.interval_minutes;
  j["summary"] = {{"planned_calls", p.planned_calls},
                  {"agent_hours", p.budget.agent_hours},
                  {"lines", p.budget.lines},
                  {"erlang_service_level", p.erlang_service_level},
                  {"erlang_abandon", p.erlang_abandon},
                  {"sim_service_level", p.sim_service_level ? ordered_json(*p.sim_service_level) : ordered_json()},
                  {"sim_ci95", p.sim_ci95 ? ordered_json(*p.sim_ci95) : ordered_json()},
                  {"sim_abandon", p.sim_abandon ? ordered_json(*p.sim_abandon) : ordered_json()},
                  {"short_intervals", p.short_intervals},
                  {"shift_plan_proven_optimal", p.proven_optimal},
                  {"shift_plan_gap", p.mip_gap}};
  j["budget"] = {{"agent_hours", p.budget.agent_hours},     {"agent_cost", p.budget.agent_cost}, {"lines", p.budget.lines},
                 {"calendar_days", p.budget.calendar_days}, {"line_cost", p.budget.line_cost},   {"total", p.budget.total}};
  j["notes"] = p.notes;
  ordered_json days = ordered_json::array();
  for (const auto& d : p.days) {
    days.push_back({{"date", FormatIsoDate(d.day)}, {"closed", d.closed}, {"p10", d.p10}, {"p50", d.p50}, {"p90", d.p90}});
  }
  j["forecast_days"] = std::move(days);
  ordered_json rows = ordered_json::array();
  for (const auto& r : p.intervals) {
    ordered_json x = {{"date", FormatIsoDate(r.day)},
                      {"start", forecast::FormatClock(r.start_minute)},
                      {"p10", r.p10},
                      {"p50", r.p50},
                      {"p90", r.p90},
                      {"planned_calls", r.planned_calls},
                      {"required", r.required},
                      {"target", r.target},
                      {"scheduled", r.scheduled},
                      {"short_by", r.short_by},
                      {"lines_needed", r.lines_needed},
                      {"service_level", r.service_level},
                      {"p_abandon", r.p_abandon}};
    x["sim_service_level"] = r.sim_service_level ? ordered_json(*r.sim_service_level) : ordered_json();
    x["sim_ci95"] = r.sim_ci95 ? ordered_json(*r.sim_ci95) : ordered_json();
    rows.push_back(std::move(x));
  }
  j["intervals"] = std::move(rows);
  ordered_json shifts = ordered_json::array();
  for (const auto& s : p.shifts) {
    shifts.push_back(
        {{"date", FormatIsoDate(s.day)},
         {"name", s.name},
         {"start", forecast::FormatClock(s.start_minute)},
         {"end", forecast::FormatClock(s.end_minute)},
         {"break", s.break_start >= 0 ? ordered_json(forecast::FormatClock(s.break_start) + "-" + forecast::FormatClock(s.break_end))
                                      : ordered_json()},
         {"count", s.count},
         {"paid_hours", s.paid_hours}});
  }
  j["shifts"] = std::move(shifts);
  ordered_json whatif = ordered_json::array();
  for (const auto& w : p.what_if) {
    whatif.push_back({{"staff_cap", w.staff_cap},
                      {"service_level", w.service_level},
                      {"p_abandon", w.p_abandon},
                      {"agent_hours", w.agent_hours},
                      {"cost", w.cost}});
  }
  j["what_if"] = std::move(whatif);
  return j.dump();
}

}  // namespace madoguchi::formats
