#include "planning/plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/time_format.hpp"
#include "forecast/calendar.hpp"
#include "planning/shift_mip.hpp"
#include "queueing/erlang.hpp"
#include "sim/simulator.hpp"

namespace madoguchi::planning {

bool ShiftPattern::WorkedOn(forecast::Day day) const { return WorkedOn(day, forecast::IsJapaneseHoliday(day)); }

bool ShiftPattern::WorkedOn(forecast::Day day, bool holiday) const {
  return holiday ? on_holiday : on_weekday[forecast::WeekdayIndex(day)];
}

namespace {

using forecast::Day;
using std::chrono::days;

struct Metrics {
  double service_level = 0, p_abandon = 0, mean_wait_sec = 0;
};

// Erlang A (or C) at `agents`; an unstable Erlang C queue answers nobody in time.
Metrics At(const ServiceTargets& t, double calls, int interval_minutes, int agents) {
  if (calls <= 0) return {1, 0, 0};
  const queueing::CallLoad load{calls * 60.0 / interval_minutes, t.aht_sec};
  if (t.patience_sec) {
    auto m = queueing::ErlangA(load, *t.patience_sec, agents, t.answer_within_sec);
    if (m.ok()) return {m->service_level, m->p_abandon, m->mean_wait_sec};
    return {0, 1, *t.patience_sec};
  }
  auto m = queueing::ErlangC(load, agents, t.answer_within_sec);
  if (m.ok()) return {m->service_level, 0, m->mean_wait_sec};
  return {0, 0, interval_minutes * 60.0};
}

// The operators an interval needs; an error when no number of them meets the targets (never a
// stand-in number, which the bounds then quietly turned into "the most you allow").
Result<int> Required(const ServiceTargets& t, double calls, int interval_minutes) {
  if (calls <= 0) return 0;
  queueing::StaffingTarget target;
  target.service_level = t.service_level;
  target.answer_within_sec = t.answer_within_sec;
  target.patience_sec = t.patience_sec;
  target.max_abandon = t.max_abandon;
  target.max_occupancy = t.max_occupancy;
  target.max_mean_wait_sec = t.max_mean_wait_sec;
  MADOGUCHI_ASSIGN_OR_RETURN(auto r, queueing::RequiredAgents({calls * 60.0 / interval_minutes, t.aht_sec}, target));
  return r.agents;
}

// Lines for one interval: each arrival holds a line for its wait and, if answered, its talk;
// blocked and abandoned callers redial with probability r, adding to the offered calls.
int LinesNeeded(const PlanSettings& s, double calls, const Metrics& m) {
  if (calls <= 0) return 0;
  const double hold = (1 - m.p_abandon) * s.service.aht_sec + m.mean_wait_sec;
  const double base = calls / (s.interval_minutes * 60.0) * hold;
  for (int lines = std::max(1, static_cast<int>(base)); lines < 100000; ++lines) {
    double b = 0;
    for (int k = 0; k < 50; ++k) {
      const double retry = s.redial_probability * (b + (1 - b) * m.p_abandon);
      auto next = queueing::ErlangB(base / std::max(1e-9, 1 - std::min(0.95, retry)), lines);
      if (!next.ok()) break;
      if (std::abs(*next - b) < 1e-9) {
        b = *next;
        break;
      }
      b = *next;
    }
    if (b <= s.max_blocking) return lines;
  }
  return 100000;
}

struct Variant {
  size_t pattern;
  int break_start = -1;
};

}  // namespace

Status ValidatePlanSettings(const PlanSettings& s) {
  if (s.interval_minutes < 5 || s.interval_minutes > 60 || 1440 % s.interval_minutes != 0) {
    return InvalidArgumentError("interval_minutes", "must be 5..60 and divide a day");
  }
  const ServiceTargets& t = s.service;
  if (!(t.aht_sec > 0) || t.aht_sec > 36000) return InvalidArgumentError("service.aht_sec", "must be > 0 and at most 36,000");
  if (!(t.answer_within_sec >= 0)) return InvalidArgumentError("service.answer_within_sec", "must be >= 0");
  if (!(t.service_level >= 0 && t.service_level < 1)) return InvalidArgumentError("service.service_level", "must be in [0, 1)");
  if (t.patience_sec && !(*t.patience_sec > 0)) return InvalidArgumentError("service.patience_sec", "must be > 0");
  if (t.max_abandon && !(*t.max_abandon > 0 && *t.max_abandon < 1)) return InvalidArgumentError("service.max_abandon", "must be in (0, 1)");
  if (t.max_abandon && !t.patience_sec) return InvalidArgumentError("service.max_abandon", "needs service.patience_sec");
  if (t.max_occupancy && !(*t.max_occupancy > 0 && *t.max_occupancy <= 1))
    return InvalidArgumentError("service.max_occupancy", "must be in (0, 1]");
  if (!(s.max_blocking > 0 && s.max_blocking < 1)) return InvalidArgumentError("lines.max_blocking", "must be in (0, 1)");
  if (!(s.redial_probability >= 0 && s.redial_probability <= 0.95))
    return InvalidArgumentError("lines.redial_probability", "must be in [0, 0.95]");
  if (!(s.cost_per_line_day >= 0)) return InvalidArgumentError("lines.cost_per_line_day", "must be >= 0");
  if (s.min_agents < 0) return InvalidArgumentError("staffing.min_agents", "must be >= 0");
  if (s.max_agents < 1 || s.max_agents > 5000) return InvalidArgumentError("staffing.max_agents", "must be 1 .. 5,000");
  if (s.min_agents > s.max_agents) return InvalidArgumentError("staffing.min_agents", "must not exceed staffing.max_agents");
  if (!(s.cost_per_agent_hour >= 0)) return InvalidArgumentError("staffing.cost_per_agent_hour", "must be >= 0");
  if (s.pool && (*s.pool < 1 || *s.pool > 50000)) return InvalidArgumentError("staffing.pool", "must be 1 .. 50,000");
  if (s.max_days_per_week < 1 || s.max_days_per_week > 7) return InvalidArgumentError("staffing.max_days_per_week", "must be 1..7");
  if (s.shifts.empty()) return InvalidArgumentError("staffing.shifts", "needs at least one shift pattern");
  for (size_t i = 0; i < s.shifts.size(); ++i) {
    const ShiftPattern& p = s.shifts[i];
    const std::string at = "staffing.shifts[" + std::to_string(i) + "]";
    if (p.end_minute <= p.start_minute) return InvalidArgumentError(at + ".end", "must be after start");
    if (p.end_minute - p.start_minute > 12 * 60) return InvalidArgumentError(at + ".end", "a shift may last at most 12 hours");
    if (p.break_minutes < 0) return InvalidArgumentError(at + ".break_minutes", "must be >= 0");
    if (!p.on_holiday && std::none_of(p.on_weekday.begin(), p.on_weekday.end(), [](bool on) { return on; })) {
      return InvalidArgumentError(at + ".days", "must name at least one day");
    }
    const int work = p.end_minute - p.start_minute - p.break_minutes;
    if (work <= 0) return InvalidArgumentError(at + ".break_minutes", "leaves no working time");
    // Labour Standards Act art. 34: over 6 h of work needs 45 min of rest, over 8 h needs 60.
    if (work > 480 && p.break_minutes < 60) {
      return InvalidArgumentError(at + ".break_minutes", "over 8 hours of work needs a break of at least 60 minutes (労働基準法第34条)");
    }
    if (work > 360 && p.break_minutes < 45) {
      return InvalidArgumentError(at + ".break_minutes", "over 6 hours of work needs a break of at least 45 minutes (労働基準法第34条)");
    }
  }
  if (s.sim_replications != 0 && (s.sim_replications < 2 || s.sim_replications > 10000)) {
    return InvalidArgumentError("simulation.replications", "must be 0 (no check) or 2 .. 10,000");
  }
  if (!(s.solver_seconds > 0) || s.solver_seconds > 3600) return InvalidArgumentError("solver.seconds", "must be in (0, 3600]");
  return Status::Ok();
}

Result<PlanResult> MakePlan(const forecast::Forecast& fc, const PlanSettings& s, const PlanProgress& progress) {
  // The share of the work: the weeks' MIPs, then the days' simulations (when there are any).
  auto report = [&](double share, std::string_view stage) {
    if (progress) progress(std::clamp(static_cast<int>(share * 100), 0, 99), stage);
  };
  MADOGUCHI_RETURN_IF_ERROR(ValidatePlanSettings(s));
  if (fc.days.empty()) return InvalidArgumentError("forecast", "has no days");
  if (fc.interval_minutes != s.interval_minutes) {
    return InvalidArgumentError("interval_minutes", "the forecast is at a different interval length");
  }
  const int L = s.interval_minutes, per_day = 1440 / L;
  const int D = static_cast<int>(fc.days.size());
  const Day first = fc.days.front().day;
  PlanResult out;
  out.interval_minutes = L;
  out.days = fc.days;

  // 1–2. The open intervals of each day with their forecast and targets.
  std::map<std::pair<int, int>, const forecast::IntervalForecast*> by_slot;
  for (const auto& f : fc.intervals) by_slot[{static_cast<int>((f.day - first).count()), f.start_minute / L}] = &f;
  std::vector<std::vector<int>> row_of(D, std::vector<int>(per_day, -1));
  for (int d = 0; d < D; ++d) {
    const Day day = first + days{d};
    const auto hours = s.hours.For(day);
    if (!hours || fc.days[d].closed) continue;
    for (int b = hours->first / L; b * L < hours->second; ++b) {
      IntervalRow r;
      r.day = day;
      r.start_minute = b * L;
      if (auto it = by_slot.find({d, b}); it != by_slot.end()) {
        r.p10 = it->second->p10, r.p50 = it->second->p50, r.p90 = it->second->p90;
      }
      r.planned_calls = s.plan_on_p90 ? r.p90 : r.p50;
      auto required = Required(s.service, r.planned_calls, L);
      if (!required.ok()) {
        const Status& why = required.status();
        return Status(why.code(), why.key(),
                      FormatIsoDate(day) + " " + std::to_string(r.start_minute / 60) + ":" + (r.start_minute % 60 < 10 ? "0" : "") +
                          std::to_string(r.start_minute % 60) + ": " + why.message(),
                      "service");
      }
      r.required = *required;
      r.target = std::clamp(r.required, s.min_agents, s.max_agents);
      row_of[d][b] = static_cast<int>(out.intervals.size());
      out.intervals.push_back(r);
    }
  }
  if (out.intervals.empty()) return InvalidArgumentError("hours", "the center is never open during the forecast", "never_open");

  // 3. Shift variants (with break placements) and the MIP, one week at a time.
  std::vector<Variant> variants;
  std::vector<ShiftVariant> mip_variants;
  for (size_t p = 0; p < s.shifts.size(); ++p) {
    const ShiftPattern& sp = s.shifts[p];
    std::vector<int> starts;
    if (sp.break_minutes > 0) {
      const int lo = ((sp.start_minute + 150 + L - 1) / L) * L;
      for (int b = lo; b + sp.break_minutes <= sp.end_minute - 150; b += L) starts.push_back(b);
      if (starts.empty()) starts.push_back(((sp.start_minute + sp.end_minute - sp.break_minutes) / 2 / L) * L);
    } else {
      starts.push_back(-1);
    }
    for (int b : starts) variants.push_back({p, b});
  }
  auto covers = [&](const Variant& v, int bin) {
    const ShiftPattern& sp = s.shifts[v.pattern];
    const int a = bin * L, e = a + L;
    // Covered when the shift works at least half of the interval (a 17:15 close leaves 17:00–17:30
    // half open; a 45-minute break takes the intervals it mostly overlaps).
    auto overlap = [](int a1, int e1, int a2, int e2) { return std::max(0, std::min(e1, e2) - std::max(a1, a2)); };
    int work = overlap(a, e, sp.start_minute, sp.end_minute);
    if (v.break_start >= 0) work -= overlap(a, e, v.break_start, v.break_start + sp.break_minutes);
    return 2 * work >= L;
  };
  for (const Variant& v : variants) {
    ShiftVariant mv;
    mv.name = s.shifts[v.pattern].name;
    for (int b = 0; b < per_day; ++b) {
      if (covers(v, b)) mv.covers.push_back(b);
    }
    const ShiftPattern& sp = s.shifts[v.pattern];
    mv.cost = (sp.end_minute - sp.start_minute - sp.break_minutes) / 60.0 * s.cost_per_agent_hour;
    mip_variants.push_back(std::move(mv));
  }
  const double penalty = std::max(1.0, s.cost_per_agent_hour * L / 60.0 * 50);
  const double shifts_share = s.sim_replications > 0 ? 0.7 : 0.95;
  for (int w0 = 0; w0 < D; w0 += 7) {
    report(0.05 + shifts_share * w0 / std::max(D, 1), "shifts");
    const int wd = std::min(7, D - w0);
    ShiftProblem pr;
    pr.days = wd;
    pr.intervals_per_day = per_day;
    pr.variants = mip_variants;
    pr.pool = s.pool;
    pr.max_days_per_week = s.max_days_per_week;
    pr.shortfall_penalty = penalty;
    pr.seconds = s.solver_seconds;
    pr.target.assign(wd, std::vector<int>(per_day, 0));
    pr.max_agents.assign(wd, std::vector<int>(per_day, s.max_agents));
    pr.floor.assign(wd, std::vector<int>(per_day, s.min_agents));
    pr.variants_allowed.resize(wd);
    bool any = false;
    for (int k = 0; k < wd; ++k) {
      const int d = w0 + k;
      for (int b = 0; b < per_day; ++b) {
        if (row_of[d][b] >= 0) pr.target[k][b] = out.intervals[row_of[d][b]].target;
      }
      // A variant may be used on a day its pattern is worked when every interval it works is open.
      const bool holiday = forecast::IsJapaneseHoliday(first + days{d});
      for (size_t v = 0; v < mip_variants.size(); ++v) {
        const auto& c = mip_variants[v].covers;
        if (!s.shifts[variants[v].pattern].WorkedOn(first + days{d}, holiday)) continue;
        if (!c.empty() && std::all_of(c.begin(), c.end(), [&](int b) { return row_of[d][b] >= 0; })) {
          pr.variants_allowed[k].push_back(static_cast<int>(v));
          any = true;
        }
      }
    }
    if (!any) continue;
    MADOGUCHI_ASSIGN_OR_RETURN(ShiftSolution sol, SolveShifts(pr));
    out.proven_optimal = out.proven_optimal && sol.proven_optimal;
    if (sol.objective > 0) out.mip_gap = std::max(out.mip_gap, (sol.objective - sol.best_bound) / sol.objective);
    for (int k = 0; k < wd; ++k) {
      const int d = w0 + k;
      for (int b = 0; b < per_day; ++b) {
        if (row_of[d][b] >= 0) out.intervals[row_of[d][b]].scheduled = sol.scheduled[k][b];
      }
      for (size_t v = 0; v < variants.size(); ++v) {
        if (sol.count[k][v] == 0) continue;
        const ShiftPattern& sp = s.shifts[variants[v].pattern];
        ShiftRow row{first + days{d},         sp.name,
                     sp.start_minute,         sp.end_minute,
                     variants[v].break_start, variants[v].break_start >= 0 ? variants[v].break_start + sp.break_minutes : -1,
                     sol.count[k][v],         (sp.end_minute - sp.start_minute - sp.break_minutes) / 60.0};
        out.shifts.push_back(row);
        out.budget.agent_hours += row.count * row.paid_hours;
      }
    }
  }

  // 4. Erlang metrics at the schedule, shortfalls and lines.
  double calls = 0, answered_in_time = 0, abandoned = 0;
  for (IntervalRow& r : out.intervals) {
    r.short_by = std::max(0, r.required - r.scheduled);
    out.short_intervals += r.short_by > 0;
    const Metrics m = At(s.service, r.planned_calls, L, r.scheduled);
    r.service_level = m.service_level;
    r.p_abandon = m.p_abandon;
    r.lines_needed = LinesNeeded(s, r.planned_calls, m);
    out.budget.lines = std::max(out.budget.lines, r.lines_needed);
    calls += r.planned_calls;
    answered_in_time += r.planned_calls * m.service_level;
    abandoned += r.planned_calls * m.p_abandon;
  }
  out.planned_calls = calls;
  out.erlang_service_level = calls > 0 ? answered_in_time / calls : 1;
  out.erlang_abandon = calls > 0 ? abandoned / calls : 0;

  // 5. Budget.
  out.budget.calendar_days = D;
  out.budget.agent_cost = out.budget.agent_hours * s.cost_per_agent_hour;
  out.budget.line_cost = out.budget.lines * static_cast<double>(D) * s.cost_per_line_day;
  out.budget.total = out.budget.agent_cost + out.budget.line_cost;

  // 6. What-if: at most k operators at once.
  // From the floor up to the staffing that meets every target, and past the cap: at most
  // kWhatIfRows rows (docs/planning.md).
  constexpr int kWhatIfRows = 40;
  int peak_required = 0;
  for (const IntervalRow& r : out.intervals) peak_required = std::max(peak_required, r.required);
  const int k_lo = std::max(1, s.min_agents);
  const int k_hi = std::min(std::max(s.max_agents + 5, peak_required), k_lo + kWhatIfRows - 1);
  for (int k = k_lo; k <= k_hi; ++k) {
    WhatIfRow w{k};
    double sl = 0, ab = 0;
    for (const IntervalRow& r : out.intervals) {
      const int n = std::min(std::max(r.required, s.min_agents), k);
      const Metrics m = At(s.service, r.planned_calls, L, n);
      sl += r.planned_calls * m.service_level;
      ab += r.planned_calls * m.p_abandon;
      w.agent_hours += n * L / 60.0;
    }
    w.service_level = calls > 0 ? sl / calls : 1;
    w.p_abandon = calls > 0 ? ab / calls : 0;
    w.cost = w.agent_hours * s.cost_per_agent_hour + out.budget.line_cost;
    out.what_if.push_back(w);
  }

  // 7. The schedule simulated, one open day at a time (the queue does not carry overnight).
  if (s.sim_replications > 0) {
    double offered = 0, within = 0, ab = 0, var = 0;
    for (int d = 0; d < D; ++d) {
      report(0.05 + shifts_share + (0.95 - 0.05 - shifts_share) * d / std::max(D, 1), "simulation");
      std::vector<int> rows;
      for (int b = 0; b < per_day; ++b) {
        if (row_of[d][b] >= 0) rows.push_back(row_of[d][b]);
      }
      if (rows.empty()) continue;
      sim::Scenario sc;
      sc.interval_sec = L * 60.0;
      sc.answer_within_sec = s.service.answer_within_sec;
      sc.service = {sim::DistributionKind::kExponential, s.service.aht_sec};
      if (s.service.patience_sec) sc.patience = sim::Distribution{sim::DistributionKind::kExponential, *s.service.patience_sec};
      sc.lines = std::max(1, out.budget.lines);
      sc.redial_probability = s.redial_probability;
      sc.redial_mean_delay_sec = s.redial_mean_delay_sec;
      for (int r : rows) sc.intervals.push_back({out.intervals[r].planned_calls, out.intervals[r].scheduled});
      MADOGUCHI_ASSIGN_OR_RETURN(sim::SimulationResult res,
                                 sim::Simulate(sc, {s.sim_replications, s.seed + static_cast<uint64_t>(d), s.sim_threads}));
      for (size_t k = 0; k < rows.size(); ++k) {
        IntervalRow& r = out.intervals[rows[k]];
        const auto& e = res.intervals[k];
        if (e.offered.mean <= 0) continue;  // no calls: no service level to speak of
        r.sim_service_level = e.service_level.mean;
        r.sim_ci95 = e.service_level.ci95;
        r.sim_abandon = e.abandoned.mean / e.offered.mean;
      }
      const auto& t = res.totals;
      offered += t.offered.mean;
      within += t.offered.mean * t.service_level.mean;
      ab += t.abandoned.mean;
      var += std::pow(t.offered.mean * t.service_level.ci95, 2);
    }
    if (offered > 0) {
      out.sim_service_level = within / offered;
      out.sim_ci95 = std::sqrt(var) / offered;
      out.sim_abandon = ab / offered;
    }
  }
  if (out.short_intervals > 0) {
    out.notes.push_back(std::to_string(out.short_intervals) +
                        " intervals stay below the agents the targets need: raise max_agents, add shift patterns, or "
                        "accept the lower service level shown for them");
  }
  if (!out.proven_optimal) {
    out.notes.push_back("the shift solver stopped at its time limit; the schedule is within " +
                        std::to_string(static_cast<int>(std::ceil(out.mip_gap * 1000)) / 10.0).substr(0, 4) +
                        " % of the best possible cost");
  }
  return out;
}

}  // namespace madoguchi::planning
