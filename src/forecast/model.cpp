#include "forecast/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace madoguchi::forecast {
namespace {

using std::chrono::days;

constexpr int kLags = 14;
constexpr double kZ90 = 1.2815515655446004;  // standard normal 90 % quantile
constexpr int kInitDays = 28;
constexpr int kFitHorizon = 7;
constexpr int kQuantileHorizon = 28;

int ResponseSlot(EventKind k) {
  switch (k) {
    case EventKind::kMailing: return 0;
    case EventKind::kBookingOpen: return 1;
    case EventKind::kNews: return 2;
    case EventKind::kClosed:
    case EventKind::kOpen: return -1;
  }
  return -1;
}

// Which days the center is closed, read off the history before `until`.
struct ClosedRules {
  std::array<bool, 7> weekday{};
  bool holidays = false;
  bool year_end = false;
};

ClosedRules InferClosedRules(const History& h, size_t until) {
  ClosedRules r;
  const size_t from = until > 365 ? until - 365 : 0;
  std::array<int, 7> n{}, zeros{};
  int hol_n = 0, hol_zero = 0, ye_n = 0, ye_zero = 0;
  for (size_t i = from; i < until && i < h.daily.size(); ++i) {
    const double y = h.daily[i];
    if (std::isnan(y)) continue;
    const Day d = h.first_day + days{static_cast<int>(i)};
    const int w = WeekdayIndex(d);
    if (IsYearEndClosure(d)) {
      ++ye_n;
      ye_zero += y == 0;
    } else if (IsJapaneseHoliday(d)) {
      ++hol_n;
      hol_zero += y == 0;
    } else {
      ++n[w];
      zeros[w] += y == 0;
    }
  }
  const int most = *std::max_element(n.begin(), n.end());
  for (int w = 0; w < 7; ++w) {
    // Mostly zero, or never reported while other weekdays are (a weekday-only series).
    r.weekday[w] = (n[w] >= 4 && zeros[w] >= 0.7 * n[w]) || (n[w] == 0 && most >= 4);
  }
  r.holidays = hol_n >= 2 && hol_zero >= 0.6 * hol_n;
  r.year_end = ye_n >= 2 && ye_zero >= 0.6 * ye_n;
  return r;
}

// A plateau of the top values: at least 3 days within 2 % of the maximum, far above the median.
std::optional<double> DetectCapacity(const History& h, size_t until) {
  std::vector<double> v;
  for (size_t i = 0; i < until && i < h.daily.size(); ++i) {
    if (!std::isnan(h.daily[i]) && h.daily[i] > 0) v.push_back(h.daily[i]);
  }
  if (v.size() < 28) return std::nullopt;
  std::sort(v.begin(), v.end());
  const double max = v.back(), median = v[v.size() / 2];
  const auto first_near = std::lower_bound(v.begin(), v.end(), 0.98 * max);
  if (v.end() - first_near >= 3 && max >= 2 * median) return *first_near;
  return std::nullopt;
}

// Everything the filter needs to know about one calendar day (history or future).
struct DayInfo {
  int weekday = 0;
  bool holiday = false;
  bool closed = false;
  bool has_data = false;
  bool censored = false;
  double y = 0;
  int event = -1;  // index of the most recent response event within 14 days, or -1
  int lag = 0;
};

struct Prepared {
  std::vector<DayInfo> days;  // history days, then `extra` future days
  ClosedRules rules;
  std::optional<double> capacity;
  int censored = 0;
};

Prepared Prepare(const History& h, const std::vector<Event>& events, size_t until, int extra, std::optional<double> capacity) {
  Prepared p;
  p.rules = InferClosedRules(h, until);
  p.capacity = capacity ? capacity : DetectCapacity(h, until);
  const size_t n = h.daily.size() + static_cast<size_t>(extra);
  p.days.resize(n);
  for (size_t i = 0; i < n; ++i) {
    DayInfo& d = p.days[i];
    const Day day = h.first_day + days{static_cast<int>(i)};
    d.weekday = WeekdayIndex(day);
    d.holiday = IsJapaneseHoliday(day);
    d.closed = p.rules.weekday[d.weekday] || (d.holiday && p.rules.holidays) || (IsYearEndClosure(day) && p.rules.year_end);
    if (i < h.daily.size() && !std::isnan(h.daily[i])) {
      d.has_data = true;
      d.y = h.daily[i];
      d.censored = p.capacity && d.y >= 0.98 * *p.capacity;
      p.censored += d.censored;
    }
  }
  for (size_t e = 0; e < events.size(); ++e) {
    const auto offset = (events[e].day - h.first_day).count();
    if (events[e].kind == EventKind::kClosed || events[e].kind == EventKind::kOpen) {
      if (offset >= 0 && static_cast<size_t>(offset) < n) p.days[offset].closed = events[e].kind == EventKind::kClosed;
      continue;
    }
    for (int lag = 0; lag < kLags; ++lag) {
      const long long i = offset + lag;
      if (i < 0 || static_cast<size_t>(i) >= n) continue;
      DayInfo& d = p.days[i];
      if (d.event < 0 || events[d.event].day <= events[e].day) {
        d.event = static_cast<int>(e);
        d.lag = lag;
      }
    }
  }
  return p;
}

// Holt–Winters in logs with a damped trend, stepping one calendar day at a time. Closed days do
// not advance its clock; days without data (or under an event's influence) advance it without
// an update.
class Filter {
 public:
  Filter(const ModelParams& params, const Prepared& prep) : p_(params), prep_(prep) { Initialise(); }

  // Incorporates day i. Returns the log error when the day updated the model.
  std::optional<double> Step(size_t i) {
    const DayInfo& d = prep_.days[i];
    if (d.closed) return std::nullopt;
    if (!d.has_data || d.event >= 0) {
      level_ += p_.phi * trend_;
      trend_ *= p_.phi;
      return std::nullopt;
    }
    const double pred = PredictZ(1, d);
    double z = std::log1p(d.y);
    if (d.censored) z = std::max(z, pred);
    const double e = z - pred;
    level_ += p_.phi * trend_ + p_.alpha * e;
    trend_ = p_.phi * trend_ + p_.beta * e;
    season_[d.weekday] += p_.gamma * e;
    if (d.holiday) holiday_ += 0.2 * e;
    // Keep the weekday effects centred on the open weekdays.
    double mean = 0;
    int open = 0;
    for (int w = 0; w < 7; ++w) {
      if (!prep_.rules.weekday[w]) {
        mean += season_[w];
        ++open;
      }
    }
    if (open > 0) {
      mean /= open;
      for (double& s : season_) s -= mean;
      level_ += mean;
    }
    return e;
  }

  // Log forecast `h` open days ahead for a day like `d`.
  double PredictZ(int h, const DayInfo& d) const {
    const double damp = p_.phi >= 1 ? h : p_.phi * (1 - std::pow(p_.phi, h)) / (1 - p_.phi);
    return level_ + damp * trend_ + season_[d.weekday] + (d.holiday ? holiday_ : 0.0);
  }

 private:
  void Initialise() {
    std::array<double, 7> sum{};
    std::array<int, 7> n{};
    double total = 0;
    int count = 0;
    for (size_t i = 0; i < prep_.days.size() && count < kInitDays; ++i) {
      const DayInfo& d = prep_.days[i];
      if (d.closed || !d.has_data || d.event >= 0 || d.holiday) continue;
      const double z = std::log1p(d.y);
      sum[d.weekday] += z;
      ++n[d.weekday];
      total += z;
      ++count;
    }
    level_ = count ? total / count : 0;
    for (int w = 0; w < 7; ++w) season_[w] = n[w] ? sum[w] / n[w] - level_ : 0;
  }

  ModelParams p_;
  const Prepared& prep_;
  double level_ = 0, trend_ = 0, holiday_ = 0;
  std::array<double, 7> season_{};
};

// Calls `visit(target_index, open_steps_ahead)` for the next `horizon` calendar days after origin.
template <typename Visit>
void ForEachAhead(const Prepared& prep, size_t origin, int horizon, Visit&& visit) {
  int h = 0;
  for (int k = 1; k <= horizon; ++k) {
    const size_t t = origin + k;
    if (t >= prep.days.size()) break;
    if (!prep.days[t].closed) ++h;
    visit(t, h);
  }
}

double FitLoss(const ModelParams& params, const Prepared& prep, size_t until) {
  Filter f(params, prep);
  double loss = 0;
  for (size_t i = 0; i < until; ++i) {
    f.Step(i);
    if (i < kInitDays || i + 1 >= until) continue;
    ForEachAhead(prep, i, kFitHorizon, [&](size_t t, int h) {
      const DayInfo& d = prep.days[t];
      if (t >= until || d.closed || !d.has_data || d.censored || d.event >= 0) return;
      loss += std::abs(std::expm1(f.PredictZ(h, d)) - d.y);
    });
  }
  return loss;
}

ModelParams FitParams(const Prepared& prep, size_t until) {
  ModelParams best;
  double best_loss = std::numeric_limits<double>::infinity();
  for (double alpha : {0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8}) {
    for (double gamma : {0.02, 0.05, 0.1, 0.2}) {
      for (double beta : {0.0, 0.01, 0.03, 0.1}) {
        for (double phi : {0.8, 0.9, 0.97}) {
          if (beta == 0.0 && phi != 0.9) continue;  // no trend: phi does not matter
          const ModelParams p{alpha, beta, phi, gamma};
          const double loss = FitLoss(p, prep, until);
          if (loss < best_loss) {
            best_loss = loss;
            best = p;
          }
        }
      }
    }
  }
  return best;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

// 10/50/90 % quantiles of the log error at 1..kQuantileHorizon open days ahead, from the last year.
struct ErrorBands {
  std::array<std::array<double, 3>, kQuantileHorizon + 1> q{};  // [h] = {q10, q50, q90}
  std::array<double, 3> At(int h) const {
    if (h <= kQuantileHorizon) return q[std::max(h, 1)];
    const double s = std::sqrt(static_cast<double>(h) / kQuantileHorizon);
    const auto& last = q[kQuantileHorizon];
    return {last[1] + (last[0] - last[1]) * s, last[1], last[1] + (last[2] - last[1]) * s};
  }
};

ErrorBands FitErrorBands(const ModelParams& params, const Prepared& prep, size_t until) {
  std::vector<std::vector<double>> errors(kQuantileHorizon + 1);
  const size_t from = until > 365 + kQuantileHorizon ? until - 365 - kQuantileHorizon : kInitDays;
  Filter f(params, prep);
  for (size_t i = 0; i < until; ++i) {
    f.Step(i);
    if (i < from) continue;
    ForEachAhead(prep, i, kQuantileHorizon * 2, [&](size_t t, int h) {
      const DayInfo& d = prep.days[t];
      if (h > kQuantileHorizon || t >= until || d.closed || !d.has_data || d.censored || d.event >= 0) return;
      errors[h].push_back(std::log1p(d.y) - f.PredictZ(h, d));
    });
  }
  ErrorBands b;
  double w10 = 0, w90 = 0;
  for (int h = 1; h <= kQuantileHorizon; ++h) {
    // Too few errors at this horizon: pool with the neighbours below.
    std::vector<double> pool = errors[h];
    for (int k = h - 1; k >= 1 && pool.size() < 30; --k) pool.insert(pool.end(), errors[k].begin(), errors[k].end());
    const double q50 = Quantile(pool, 0.5);
    // Widths never shrink with the horizon.
    w10 = std::max(w10, q50 - Quantile(pool, 0.1));
    w90 = std::max(w90, Quantile(pool, 0.9) - q50);
    b.q[h] = {q50 - w10, q50, q50 + w90};
  }
  return b;
}

void ApplyPoissonFloor(double& p10, double& p50, double& p90) {
  p50 = std::max(0.0, p50);
  p10 = std::clamp(p10, 0.0, std::max(0.0, p50 - kZ90 * std::sqrt(p50)));
  p90 = std::max(p90, p50 + kZ90 * std::sqrt(p50));
}

// Mean response per unit size at each lag, per kind, from the history's events.
struct Responses {
  std::array<std::array<double, kLags>, 3> value{};
  std::array<bool, 3> fitted{};
};

Responses FitResponses(const ModelParams& params, const Prepared& prep, const std::vector<Event>& events, size_t until) {
  std::array<std::array<double, kLags>, 3> sum{};
  std::array<std::array<int, kLags>, 3> n{};
  Filter f(params, prep);
  int h_since = 0;
  for (size_t i = 0; i < until; ++i) {
    const DayInfo& d = prep.days[i];
    if (d.event >= 0 && d.has_data && !d.closed) {
      const Event& e = events[d.event];
      const int slot = ResponseSlot(e.kind);
      const double base = std::expm1(f.PredictZ(std::max(1, h_since), d));
      const double excess = d.y - base;
      const double unit =
          e.kind == EventKind::kNews ? excess / std::max(1.0, base) / std::max(1e-9, e.size) : excess / std::max(1e-9, e.size);
      sum[slot][d.lag] += unit;
      ++n[slot][d.lag];
    }
    const bool updated = f.Step(i).has_value();
    if (updated) h_since = 1;
    else if (!d.closed) ++h_since;
  }
  Responses r;
  for (int k = 0; k < 3; ++k) {
    for (int lag = 0; lag < kLags; ++lag) {
      if (n[k][lag] == 0) continue;
      r.fitted[k] = true;
      r.value[k][lag] = sum[k][lag] / n[k][lag];
    }
  }
  return r;
}

size_t DaysWithData(const History& h, size_t until) {
  size_t n = 0;
  for (size_t i = 0; i < until && i < h.daily.size(); ++i) n += !std::isnan(h.daily[i]);
  return n;
}

Status CheckHistory(const History& h) {
  if (DaysWithData(h, h.daily.size()) < 28) {
    return InvalidArgumentError("history", "needs at least 28 days with data to fit weekday effects");
  }
  if (h.interval_minutes != 0) {
    if (h.interval_minutes < 1 || 1440 % h.interval_minutes != 0) {
      return InvalidArgumentError("history", "interval length must divide a day");
    }
    if (h.intraday.size() != h.daily.size()) return InvalidArgumentError("history", "intraday and daily lengths differ");
  }
  return Status::Ok();
}

Status CheckEvents(const std::vector<Event>& events) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (!(events[i].size >= 0) || !std::isfinite(events[i].size)) {
      return InvalidArgumentError("events[" + std::to_string(i) + "].size", "must be a number >= 0");
    }
  }
  return Status::Ok();
}

// Interval quantiles from the day's band and Poisson noise within the day.
IntervalForecast SplitDay(const DayForecast& day, int start, double share) {
  IntervalForecast f{day.day, start, 0, day.p50 * share, 0};
  const double m = f.p50;
  f.p10 = std::max(0.0, m - std::sqrt(std::pow(m - day.p10 * share, 2) + kZ90 * kZ90 * m));
  f.p90 = m + std::sqrt(std::pow(day.p90 * share - m, 2) + kZ90 * kZ90 * m);
  return f;
}

}  // namespace

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kMailing: return "mailing";
    case EventKind::kBookingOpen: return "booking_open";
    case EventKind::kNews: return "news";
    case EventKind::kClosed: return "closed";
    case EventKind::kOpen: return "open";
  }
  return "?";
}

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (EventKind k : {EventKind::kMailing, EventKind::kBookingOpen, EventKind::kNews, EventKind::kClosed, EventKind::kOpen}) {
    if (name == EventKindName(k)) return k;
  }
  return std::nullopt;
}

std::optional<std::array<IntradayProfile, 7>> FitIntradayProfiles(const History& h, Day until, int interval_minutes, int weeks) {
  if (h.interval_minutes <= 0 || interval_minutes % h.interval_minutes != 0 || 1440 % interval_minutes != 0) {
    return std::nullopt;
  }
  const int bins = 1440 / interval_minutes, per = interval_minutes / h.interval_minutes;
  std::array<IntradayProfile, 7> out;
  std::array<int, 7> n{};
  for (auto& p : out) p.assign(bins, 0.0);
  long long i = std::min<long long>((until - h.first_day).count(), static_cast<long long>(h.daily.size())) - 1;
  for (; i >= 0; --i) {
    const auto& counts = h.intraday[i];
    const double total = std::isnan(h.daily[i]) ? 0 : h.daily[i];
    if (counts.empty() || total <= 0) continue;
    const int w = WeekdayIndex(h.first_day + days{static_cast<int>(i)});
    if (n[w] >= weeks) continue;
    for (size_t b = 0; b < counts.size(); ++b) out[w][b / per] += counts[b] / total;
    ++n[w];
    if (std::all_of(n.begin(), n.end(), [&](int c) { return c >= weeks; })) break;
  }
  IntradayProfile mean(bins, 0.0);
  int have = 0;
  for (int w = 0; w < 7; ++w) {
    if (n[w] == 0) continue;
    for (double& s : out[w]) s /= n[w];
    for (int b = 0; b < bins; ++b) mean[b] += out[w][b];
    ++have;
  }
  if (have == 0) return std::nullopt;
  for (double& s : mean) s /= have;
  for (int w = 0; w < 7; ++w) {
    if (n[w] == 0) out[w] = mean;
  }
  return out;
}

Result<Forecast> ForecastFromHistory(const History& history, const std::vector<Event>& events, const ForecastSettings& s) {
  MADOGUCHI_RETURN_IF_ERROR(CheckHistory(history));
  MADOGUCHI_RETURN_IF_ERROR(CheckEvents(events));
  if (s.horizon_days < 1 || s.horizon_days > 3660) return InvalidArgumentError("horizon_days", "must be 1..3660");
  if (s.capacity && !(*s.capacity > 0)) return InvalidArgumentError("capacity", "must be > 0 calls per day");
  if (s.interval_minutes != 0 && (s.interval_minutes < 5 || s.interval_minutes > 60 || 1440 % s.interval_minutes != 0)) {
    return InvalidArgumentError("interval_minutes", "must be 5..60 and divide a day (15, 30, 60, ...)");
  }
  const size_t n = history.daily.size();
  const Prepared prep = Prepare(history, events, n, s.horizon_days, s.capacity);
  Forecast out;
  out.params = s.params ? *s.params : FitParams(prep, n);
  out.capacity = prep.capacity;
  out.censored_days = prep.censored;
  out.closed_weekdays = prep.rules.weekday;
  out.holidays_closed = prep.rules.holidays;
  const ErrorBands bands = FitErrorBands(out.params, prep, n);
  const Responses fitted = FitResponses(out.params, prep, events, n);

  Filter f(out.params, prep);
  for (size_t i = 0; i < n; ++i) f.Step(i);
  double carried = 0;  // event response that fell on closed days, moved to the next open day
  ForEachAhead(prep, n - 1, s.horizon_days, [&](size_t t, int h) {
    const DayInfo& d = prep.days[t];
    DayForecast day{history.first_day + days{static_cast<int>(t)}, d.closed};
    double response = 0;
    if (d.event >= 0) {
      const Event& e = events[d.event];
      const int slot = ResponseSlot(e.kind);
      const double unit = fitted.fitted[slot] ? fitted.value[slot][d.lag] : s.default_response[slot][d.lag];
      response = e.size * unit;  // news: relative, applied below
    }
    if (d.closed) {
      if (d.event >= 0 && events[d.event].kind != EventKind::kNews) carried += response;
      out.days.push_back(day);
      return;
    }
    const auto q = bands.At(h);
    const double z = f.PredictZ(h, d);
    day.p10 = std::expm1(z + q[0]);
    day.p50 = std::expm1(z + q[1]);
    day.p90 = std::expm1(z + q[2]);
    const bool news = d.event >= 0 && events[d.event].kind == EventKind::kNews;
    const double add = news ? day.p50 * response : response + carried;
    carried = 0;
    day.p10 += add;
    day.p50 += add;
    day.p90 += add;
    ApplyPoissonFloor(day.p10, day.p50, day.p90);
    out.days.push_back(day);
  });

  if (s.interval_minutes > 0) {
    out.interval_minutes = s.interval_minutes;
    const auto profiles = FitIntradayProfiles(history, history.last_day() + days{1}, s.interval_minutes);
    if (!profiles && !s.default_profile) {
      return InvalidArgumentError("interval_minutes",
                                  "the history has no interval counts at this resolution; give opening hours for the "
                                  "default intraday profile");
    }
    for (const DayForecast& day : out.days) {
      if (day.closed) continue;
      const IntradayProfile& p = profiles ? (*profiles)[WeekdayIndex(day.day)] : *s.default_profile;
      for (size_t b = 0; b < p.size(); ++b) {
        if (p[b] <= 0) continue;
        out.intervals.push_back(SplitDay(day, static_cast<int>(b) * s.interval_minutes, p[b]));
      }
    }
  }
  return out;
}

Result<BacktestResult> Backtest(const History& history, const std::vector<Event>& events, const BacktestSettings& s) {
  MADOGUCHI_RETURN_IF_ERROR(CheckHistory(history));
  MADOGUCHI_RETURN_IF_ERROR(CheckEvents(events));
  if (s.horizon_days < 1 || s.horizon_days > 91) return InvalidArgumentError("horizon_days", "must be 1..91");
  const size_t n = history.daily.size();
  size_t test_start;
  if (s.test_start) {
    const auto off = (*s.test_start - history.first_day).count();
    if (off < 0 || static_cast<size_t>(off) >= n) return InvalidArgumentError("test_start", "is outside the history");
    test_start = static_cast<size_t>(off);
  } else {
    if (s.test_days < 7) return InvalidArgumentError("test_days", "must be at least 7");
    test_start = n > static_cast<size_t>(s.test_days) ? n - s.test_days : 0;
  }
  if (DaysWithData(history, test_start) < 56) {
    return InvalidArgumentError("test_start", "leaves fewer than 56 days with data to train on");
  }
  if (s.intervals && !FitIntradayProfiles(history, history.first_day + days{static_cast<int>(test_start)}, s.interval_minutes)) {
    return InvalidArgumentError("history", "has no interval counts at this resolution to score intervals");
  }
  const Prepared prep = Prepare(history, events, test_start, 0, std::nullopt);
  BacktestResult r;
  r.params = FitParams(prep, test_start);
  r.horizon_days = s.horizon_days;
  r.level = s.intervals ? "interval" : "daily";
  r.train_start = history.first_day;
  r.test_start = history.first_day + days{static_cast<int>(test_start)};
  r.test_end = history.last_day();
  const ErrorBands bands = FitErrorBands(r.params, prep, test_start);

  // Seasonal-naive: the most recent same weekday with data, at or before the origin.
  auto naive_day = [&](size_t t, size_t origin) -> std::optional<size_t> {
    for (size_t k = t; k >= 7;) {
      k -= 7;
      if (k <= origin && prep.days[k].has_data && (!s.intervals || !history.intraday[k].empty())) return k;
    }
    return std::nullopt;
  };
  const int per = s.intervals ? s.interval_minutes / history.interval_minutes : 1;
  auto bins_of = [&](size_t t) {
    std::vector<double> out(1440 / s.interval_minutes, 0.0);
    const auto& c = history.intraday[t];
    for (size_t b = 0; b < c.size(); ++b) out[b / per] += c[b];
    return out;
  };

  // In-sample scale for MASE: the seasonal-naive one-week error over the training data.
  double scale_sum = 0;
  long long scale_n = 0;
  for (size_t t = 7; t < test_start; ++t) {
    if (!prep.days[t].has_data || !prep.days[t - 7].has_data) continue;
    if (s.intervals) {
      if (history.intraday[t].empty() || history.intraday[t - 7].empty()) continue;
      const auto a = bins_of(t), b = bins_of(t - 7);
      for (size_t i = 0; i < a.size(); ++i) scale_sum += std::abs(a[i] - b[i]);
      scale_n += static_cast<long long>(a.size());
    } else {
      scale_sum += std::abs(prep.days[t].y - prep.days[t - 7].y);
      ++scale_n;
    }
  }
  if (scale_n == 0 || scale_sum == 0) return InvalidArgumentError("history", "is constant: nothing to compare against");
  const double scale = scale_sum / scale_n;

  double err_model = 0, err_naive = 0, actual_sum = 0;
  long long points = 0;
  Filter f(r.params, prep);
  for (size_t origin = 0; origin + 1 < n; ++origin) {
    f.Step(origin);
    if (origin + 1 < test_start) continue;
    std::optional<std::array<IntradayProfile, 7>> profiles;
    if (s.intervals) {
      profiles = FitIntradayProfiles(history, history.first_day + days{static_cast<int>(origin) + 1}, s.interval_minutes);
    }
    ForEachAhead(prep, origin, s.horizon_days, [&](size_t t, int h) {
      const DayInfo& d = prep.days[t];
      if (!d.has_data) return;
      const auto nd = naive_day(t, origin);
      if (!nd) return;
      double p50 = 0;
      if (!d.closed) p50 = std::max(0.0, std::expm1(f.PredictZ(h, d) + bands.At(h)[1]));
      if (s.intervals) {
        if (history.intraday[t].empty()) return;
        const auto actual = bins_of(t), naive = bins_of(*nd);
        const auto& share = (*profiles)[d.weekday];
        for (size_t b = 0; b < actual.size(); ++b) {
          err_model += std::abs(p50 * share[b] - actual[b]);
          err_naive += std::abs(naive[b] - actual[b]);
          actual_sum += actual[b];
          ++points;
        }
      } else {
        err_model += std::abs(p50 - d.y);
        err_naive += std::abs(prep.days[*nd].y - d.y);
        actual_sum += d.y;
        ++points;
      }
    });
  }
  if (points == 0 || actual_sum <= 0) return InvalidArgumentError("test_start", "leaves no days with data to score");
  r.points = static_cast<int>(points);
  r.model = {err_model / actual_sum, err_model / points / scale};
  r.seasonal_naive = {err_naive / actual_sum, err_naive / points / scale};
  return r;
}

Tracking TrackForecast(const std::vector<DayForecast>& forecast, const std::vector<std::pair<Day, double>>& actual, Day today) {
  std::map<Day, double> calls(actual.begin(), actual.end());
  Tracking t;
  double abs_error = 0;
  for (const DayForecast& f : forecast) {
    if (f.day > today) break;
    TrackedDay d{f.day, f.closed, f.day == today, f.p10, f.p50, f.p90, 0, 0};
    if (auto it = calls.find(f.day); it != calls.end()) d.actual = it->second;
    if (d.partial) {
      t.days.push_back(d);
      continue;
    }
    d.side = d.actual > f.p90 ? 1 : d.actual < f.p10 ? -1 : 0;
    ++t.finished_days;
    t.above += d.side > 0;
    t.below += d.side < 0;
    t.forecast_total += f.p50;
    t.actual_total += d.actual;
    abs_error += std::abs(d.actual - f.p50);
    t.days.push_back(d);
  }
  t.wape = t.actual_total > 0 ? abs_error / t.actual_total : 0;
  return t;
}

}  // namespace madoguchi::forecast
