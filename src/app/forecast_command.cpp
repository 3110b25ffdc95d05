// `madoguchi forecast --history FILE --horizon-days H` (CSV out), `forecast backtest` (JSON out)
// and `forecast calibrate` (the profile defaults re-derived from the real series).
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "app/commands.hpp"
#include "app/files.hpp"
#include "app/forecast_command.hpp"
#include "forecast/calibration.hpp"
#include "forecast/model.hpp"
#include "forecast/profile.hpp"
#include "formats/history_csv.hpp"

namespace madoguchi::app {
namespace {

using Json = nlohmann::ordered_json;

struct Values {
  std::string history, events, column, from, to, hours, out, test_start, data_dir;
  int horizon_days = 14, interval_minutes = 0, test_days = 91, backtest_horizon = 7;
  double capacity = 0;
  bool intervals = false;
};

int Fail(const std::string& where, const Status& s) {
  std::fprintf(stderr, "madoguchi: %s%s%s: %s\n", where.c_str(), where.empty() || s.field().empty() ? "" : ": ", s.field().c_str(),
               s.message().c_str());
  return kExitUsage;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(v * 10) / 10);
  return buf;
}

// The history file and the options that shape it; exit code on failure.
Result<formats::ParsedHistory> LoadHistory(const Values& v) {
  auto text = ReadFile(v.history);
  if (!text) return InvalidArgumentError("--history", "cannot read " + v.history);
  formats::HistoryOptions o;
  o.column = v.column;
  if (!v.from.empty()) {
    o.from = ParseIsoDate(v.from);
    if (!o.from) return InvalidArgumentError("--from", "must be a date YYYY-MM-DD");
  }
  if (!v.to.empty()) {
    o.to = ParseIsoDate(v.to);
    if (!o.to) return InvalidArgumentError("--to", "must be a date YYYY-MM-DD");
  }
  auto parsed = formats::ParseHistoryCsv(*text, o);
  if (!parsed.ok()) {
    const Status& s = parsed.status();
    return Status(s.code(), s.key(), s.message(), v.history + ": " + s.field());
  }
  return parsed;
}

Result<std::vector<forecast::Event>> LoadEvents(const std::string& path) {
  if (path.empty()) return std::vector<forecast::Event>{};
  auto text = ReadFile(path);
  if (!text) return InvalidArgumentError("--events", "cannot read " + path);
  auto events = formats::ParseEventsCsv(*text);
  if (!events.ok()) {
    const Status& s = events.status();
    return Status(s.code(), s.key(), s.message(), path + ": " + s.field());
  }
  return events;
}

int RunForecast(const Values& v) {
  auto history = LoadHistory(v);
  if (!history.ok()) return Fail("", history.status());
  auto events = LoadEvents(v.events);
  if (!events.ok()) return Fail("", events.status());
  forecast::ForecastSettings s;
  s.horizon_days = v.horizon_days;
  if (v.capacity > 0) s.capacity = v.capacity;
  else if (v.capacity < 0) return Fail("--capacity", InvalidArgumentError("", "must be > 0 calls per day"));
  s.interval_minutes = v.interval_minutes;
  s.default_response = forecast::DefaultResponseCurves(forecast::ResponseParams{});
  if (!v.hours.empty()) {
    auto hours = forecast::ParseHoursRange(v.hours);
    if (!hours.ok()) return Fail("--hours", hours.status());
    if (s.interval_minutes == 0) s.interval_minutes = 30;
    s.default_profile = forecast::DefaultIntradayProfile(*hours, s.interval_minutes, forecast::ResponseParams{});
  }
  auto f = forecast::ForecastFromHistory(history->history, *events, s);
  if (!f.ok()) {
    const std::string field = f.status().field();
    const bool option = field == "horizon_days" || field == "interval_minutes" || field == "capacity";
    std::fprintf(stderr, "madoguchi: %s: %s\n",
                 option ? ("--" + std::string(field == "horizon_days"       ? "horizon-days"
                                              : field == "interval_minutes" ? "interval-minutes"
                                                                            : "capacity"))
                              .c_str()
                        : (v.history + ": " + field).c_str(),
                 f.status().message().c_str());
    return kExitUsage;
  }
  std::string csv;
  if (f->interval_minutes > 0) {
    csv = "date,interval_start,p10,p50,p90\n";
    for (const auto& i : f->intervals) {
      csv += FormatIsoDate(i.day) + "," + forecast::FormatClock(i.start_minute) + "," + Num(i.p10) + "," + Num(i.p50) + "," + Num(i.p90) +
             "\n";
    }
  } else {
    csv = "date,p10,p50,p90\n";
    for (const auto& d : f->days) {
      csv += FormatIsoDate(d.day) + "," + Num(d.p10) + "," + Num(d.p50) + "," + Num(d.p90) + "\n";
    }
  }
  if (v.out.empty()) {
    std::fwrite(csv.data(), 1, csv.size(), stdout);
  } else {
    if (!WriteAtomically(v.out, csv)) {
      std::fprintf(stderr, "madoguchi: --out: cannot write %s\n", v.out.c_str());
      return kExitFailure;
    }
  }
  std::fprintf(stderr, "madoguchi: %s history, %zu days; alpha=%.2f beta=%.2f phi=%.2f gamma=%.2f; %d censored days%s\n",
               history->format.c_str(), history->history.daily.size(), f->params.alpha, f->params.beta, f->params.phi, f->params.gamma,
               f->censored_days, f->capacity ? (" (capacity " + Num(*f->capacity) + "/day)").c_str() : "");
  return kExitOk;
}

int RunBacktest(const Values& v) {
  auto history = LoadHistory(v);
  if (!history.ok()) return Fail("", history.status());
  auto events = LoadEvents(v.events);
  if (!events.ok()) return Fail("", events.status());
  forecast::BacktestSettings s;
  s.test_days = v.test_days;
  s.horizon_days = v.backtest_horizon;
  s.intervals = v.intervals;
  s.interval_minutes = v.interval_minutes > 0 ? v.interval_minutes : 30;
  if (!v.test_start.empty()) {
    s.test_start = ParseIsoDate(v.test_start);
    if (!s.test_start) return Fail("--test-start", InvalidArgumentError("", "must be a date YYYY-MM-DD"));
  }
  auto r = forecast::Backtest(history->history, *events, s);
  if (!r.ok()) return Fail(v.history, r.status());
  Json j;
  j["history"] = v.history;
  j["level"] = r->level;
  j["train"] = {FormatIsoDate(r->train_start), FormatIsoDate(r->test_start - std::chrono::days{1})};
  j["test"] = {FormatIsoDate(r->test_start), FormatIsoDate(r->test_end)};
  j["horizon_days"] = r->horizon_days;
  j["points"] = r->points;
  j["model"] = {{"wape", r->model.wape}, {"mase", r->model.mase}};
  j["seasonal_naive"] = {{"wape", r->seasonal_naive.wape}, {"mase", r->seasonal_naive.mase}};
  j["params"] = {{"alpha", r->params.alpha}, {"beta", r->params.beta}, {"phi", r->params.phi}, {"gamma", r->params.gamma}};
  std::printf("%s\n", j.dump().c_str());
  return kExitOk;
}

int RunCalibrate(const Values& v) {
  auto files = forecast::CalibrationFiles();
  forecast::CalibrationInput in;
  for (const auto& name : files) {
    auto text = ReadFile(v.data_dir + "/" + name);
    if (!text) {
      std::fprintf(stderr, "madoguchi: --data: cannot read %s/%s\n", v.data_dir.c_str(), name.c_str());
      return kExitUsage;
    }
    formats::HistoryOptions o;
    auto parsed = formats::ParseHistoryCsv(*text, o);
    if (!parsed.ok()) return Fail(name, parsed.status());
    in.series.push_back({name, parsed->history});
  }
  auto c = forecast::Calibrate(in);
  if (!c.ok()) return Fail("--data", c.status());
  Json j;
  j["weekday_factors"] = c->weekday_factors;
  j["intraday_half_hour_weights"] = c->intraday_half_hour;
  j["news_half_life_days"] = c->news_half_life_days;
  j["news_spikes"] = c->news_spikes;
  j["log_spread_7d"] = c->log_spread_7d;
  std::printf("%s\n", j.dump().c_str());
  return kExitOk;
}

// The documented backtest suite as a Markdown table (docs/forecast.md).
int RunBacktestSuite(const Values& v) {
  std::string out =
      "| series | level | test period | points | WAPE model | WAPE seasonal-naive | MASE model | MASE seasonal-naive | better |\n"
      "|---|---|---|---:|---:|---:|---:|---:|---|\n";
  int better = 0, total = 0;
  for (const auto& c : forecast::BacktestSuite()) {
    auto text = ReadFile(v.data_dir + "/" + c.file);
    if (!text) {
      std::fprintf(stderr, "madoguchi: --data: cannot read %s/%s\n", v.data_dir.c_str(), c.file.c_str());
      return kExitUsage;
    }
    formats::HistoryOptions o;
    o.column = c.column;
    if (!c.from.empty()) o.from = ParseIsoDate(c.from);
    auto parsed = formats::ParseHistoryCsv(*text, o);
    if (!parsed.ok()) return Fail(c.file, parsed.status());
    forecast::BacktestSettings s;
    s.intervals = c.intervals;
    s.test_days = v.test_days;
    s.horizon_days = v.backtest_horizon;
    auto r = forecast::Backtest(parsed->history, {}, s);
    if (!r.ok()) return Fail(c.file, r.status());
    const bool wins = r->model.wape < r->seasonal_naive.wape;
    better += wins;
    ++total;
    char row[512];
    std::snprintf(row, sizeof row, "| %s (`%s`%s) | %s | %s – %s | %d | %.3f | %.3f | %.3f | %.3f | %s |\n", c.note.c_str(), c.file.c_str(),
                  c.column.empty() ? "" : (", " + c.column).c_str(), r->level.c_str(), FormatIsoDate(r->test_start).c_str(),
                  FormatIsoDate(r->test_end).c_str(), r->points, r->model.wape, r->seasonal_naive.wape, r->model.mase,
                  r->seasonal_naive.mase, wins ? "yes" : "no");
    out += row;
  }
  out += "\nThe model beats seasonal-naive WAPE on " + std::to_string(better) + " of " + std::to_string(total) + " series.\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

void HistoryOptions(CLI::App* cmd, Values* v) {
  cmd->add_option("--history", v->history, "call history: CSV of daily or interval counts, timestamps, or Asterisk Master.csv");
  cmd->add_option("--column", v->column, "count column to read (default: calls)");
  cmd->add_option("--from", v->from, "ignore days before this date (YYYY-MM-DD)");
  cmd->add_option("--to", v->to, "ignore days after this date (YYYY-MM-DD)");
  cmd->add_option("--events", v->events, "events CSV: date,kind,size,label (mailing, booking_open, news, closed, open)");
}

}  // namespace

void DefineForecastCommand(CLI::App& cli, std::function<void(std::function<int()>)> set) {
  auto v = std::make_shared<Values>();
  auto* cmd = cli.add_subcommand("forecast", "forecast calls per day or interval from history (CSV with p10/p50/p90)");
  HistoryOptions(cmd, v.get());
  cmd->add_option("--horizon-days", v->horizon_days, "days to forecast after the history ends")->capture_default_str();
  cmd->add_option("--capacity", v->capacity, "calls per day the center could handle (days at it are censored)");
  cmd->add_option("--interval-minutes", v->interval_minutes, "also split days into intervals (needs interval history or --hours)");
  cmd->add_option("--hours", v->hours, "opening hours HH:MM-HH:MM for the default intraday profile");
  cmd->add_option("--out", v->out, "write the CSV here instead of stdout");

  auto* backtest = cmd->add_subcommand("backtest", "rolling-origin backtest against seasonal-naive (JSON)");
  HistoryOptions(backtest, v.get());
  backtest->add_option("--test-days", v->test_days, "held-out days at the end")->capture_default_str();
  backtest->add_option("--test-start", v->test_start, "first held-out day instead (YYYY-MM-DD)");
  backtest->add_option("--horizon-days", v->backtest_horizon, "forecast 1..H days ahead from each origin")->capture_default_str();
  backtest->add_flag("--intervals", v->intervals, "score interval counts instead of days");
  backtest->add_option("--interval-minutes", v->interval_minutes, "interval length when scoring intervals (default 30)");
  backtest->add_option("--suite", v->data_dir, "run the documented suite over this directory (../shared/data/calls); Markdown out");

  auto* calibrate = cmd->add_subcommand("calibrate", "re-derive the city-profile defaults from the real call series");
  calibrate->add_option("--data", v->data_dir, "the directory holding the real series (../shared/data/calls)")->required();

  backtest->callback([v, set] {
    set([v] {
      if (!v->data_dir.empty()) return RunBacktestSuite(*v);
      if (v->history.empty()) return Fail("--history", InvalidArgumentError("", "is required (or --suite DIR)"));
      return RunBacktest(*v);
    });
  });
  calibrate->callback([v, set] { set([v] { return RunCalibrate(*v); }); });
  cmd->callback([v, set, backtest, calibrate] {
    if (backtest->parsed() || calibrate->parsed()) return;
    set([v] {
      if (v->history.empty()) return Fail("--history", InvalidArgumentError("", "is required"));
      return RunForecast(*v);
    });
  });
}

}  // namespace madoguchi::app
