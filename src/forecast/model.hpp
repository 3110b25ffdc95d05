// src/forecast/model.hpp — call-volume forecasts from history, with 10/50/90 % bands, and backtests.
//
// The daily model (docs/forecast.md has the details and the backtest table):
//   * z = log(calls + 1); z = level + damped trend + weekday effect (+ holiday effect), i.e. a
//     multiplicative Holt–Winters model fitted in logs; parameters by grid search minimising the
//     in-sample absolute error of 1..7-day-ahead forecasts (training data only);
//   * closed days (weekdays or holidays that are almost always zero in the history, 12/29–1/3 when
//     closed in the history, `closed` events) are forecast as 0 and do not update the model;
//   * censoring: a day at or above the capacity (given, or detected as a plateau of the series'
//     top values) is a lower bound on demand: it moves the model up, never down;
//   * events (mailing, booking opening, news) add a response curve per unit size, fitted from the
//     history's own events of that kind; event-influenced days do not update the level;
//   * bands: empirical 10/50/90 % quantiles of the in-sample log errors at each horizon, never
//     narrower than Poisson noise.
// Intraday: when the history has interval counts, each weekday's profile (share of the day per
// interval) is the mean of its last 8 open days; otherwise the profile comes from the caller.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "forecast/calendar.hpp"

namespace madoguchi::forecast {

struct History {
  Day first_day{};
  std::vector<double> daily;                  // one per day from first_day; NaN = no data
  int interval_minutes = 0;                   // > 0 when `intraday` holds counts
  std::vector<std::vector<double>> intraday;  // per day: 1440 / interval_minutes counts (empty = none)
  Day last_day() const { return first_day + std::chrono::days{static_cast<int>(daily.size()) - 1}; }
};

enum class EventKind { kMailing, kBookingOpen, kNews, kClosed, kOpen };
const char* EventKindName(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view name);

struct Event {
  Day day{};
  EventKind kind = EventKind::kNews;
  double size = 1.0;  // mailing / booking_open: people (tickets); news: relative jump (1 = doubles the day)
  std::string label;
};

struct ModelParams {
  double alpha = 0.2, beta = 0.0, phi = 0.9, gamma = 0.05;
};

// Shares of a day's calls per interval (1440 / interval_minutes entries summing to 1).
using IntradayProfile = std::vector<double>;

struct ForecastSettings {
  int horizon_days = 14;                           // 1 .. 3660
  std::optional<double> capacity;                  // calls per day that the center could handle at most
  std::optional<ModelParams> params;               // fixed parameters instead of the grid search
  int interval_minutes = 0;                        // 0: daily output only; else 5..60 dividing 1440
  std::optional<IntradayProfile> default_profile;  // used when the history has no interval counts
  // Response per unit size at lags 0..13 for event kinds the history has no example of.
  std::array<std::array<double, 14>, 3> default_response{};  // [mailing, booking_open, news]
};

struct DayForecast {
  Day day{};
  bool closed = false;
  double p10 = 0, p50 = 0, p90 = 0;
};

struct IntervalForecast {
  Day day{};
  int start_minute = 0;
  double p10 = 0, p50 = 0, p90 = 0;
};

struct Forecast {
  std::vector<DayForecast> days;
  int interval_minutes = 0;
  std::vector<IntervalForecast> intervals;  // open days only; intervals whose profile share is 0 are left out
  ModelParams params;
  std::optional<double> capacity;  // given or detected
  int censored_days = 0;
  std::array<bool, 7> closed_weekdays{};
  bool holidays_closed = false;
};

// Errors: kInvalidArgument naming "history" (fewer than 28 days with data), "horizon_days",
// "interval_minutes", "capacity" or "events[i]".
Result<Forecast> ForecastFromHistory(const History& history, const std::vector<Event>& events, const ForecastSettings& settings);

struct BacktestSettings {
  std::optional<Day> test_start;  // default: the last `test_days` days
  int test_days = 91;
  int horizon_days = 7;    // forecasts 1..h days ahead from every origin in the test period
  bool intervals = false;  // score interval counts (needs interval history)
  int interval_minutes = 30;
};

struct Score {
  double wape = 0;  // sum |error| / sum actual
  double mase = 0;  // mean |error| / in-sample mean |y_t - y_{t-7}|
};

struct BacktestResult {
  Day train_start{}, test_start{}, test_end{};
  int horizon_days = 0;
  int points = 0;  // (origin, horizon) pairs scored
  Score model, seasonal_naive;
  ModelParams params;
  std::string level;  // "daily" or "interval"
};

// Rolling-origin evaluation: parameters are fitted on the data before `test_start` only; from
// each origin in the test period the model forecasts 1..horizon days ahead with the data up to
// the origin, and so does the seasonal-naive baseline (the same weekday, last week, as of the
// origin). Days with no data are not scored.
Result<BacktestResult> Backtest(const History& history, const std::vector<Event>& events, const BacktestSettings& settings);

// Each weekday's share profile from the last `weeks` open days before `until` (exclusive), at
// `interval_minutes`. Weekdays with no data get the mean of the others; nullopt if none at all.
std::optional<std::array<IntradayProfile, 7>> FitIntradayProfiles(const History& history, Day until, int interval_minutes, int weeks = 8);

// How a forecast is doing while the operation runs: each forecast day up to `today` beside the calls
// that day actually brought (`actual`, one entry per day that had any; a day missing from it had
// none). A finished day is above or below when its calls fall outside the 10–90 % band; `today` is
// listed as it stands but not judged, and the totals cover finished days only.
struct TrackedDay {
  Day day{};
  bool closed = false;
  bool partial = false;  // today: still going
  double p10 = 0, p50 = 0, p90 = 0;
  double actual = 0;
  int side = 0;  // -1 below the band, 0 within (or today), +1 above
};
struct Tracking {
  std::vector<TrackedDay> days;  // forecast days up to and including `today`, in order
  int finished_days = 0;         // those before `today`
  double forecast_total = 0;     // sum of p50 over the finished days
  double actual_total = 0;       // calls on the finished days
  double wape = 0;               // sum |actual - p50| / sum actual over them (0 when no calls)
  int above = 0, below = 0;
};
Tracking TrackForecast(const std::vector<DayForecast>& forecast, const std::vector<std::pair<Day, double>>& actual, Day today);

}  // namespace madoguchi::forecast
