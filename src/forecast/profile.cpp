#include "forecast/profile.hpp"

#include <algorithm>
#include <cmath>

namespace madoguchi::forecast {
namespace {

using std::chrono::days;
constexpr double kZ90 = 1.2815515655446004;

double Decay(double lag, double half_life) { return std::exp2(-lag / half_life); }

// Share of a geometric response on day `lag` (0-based), normalised over an unbounded window.
double DayShare(int lag, double half_life) {
  const double r = Decay(1, half_life);
  return (1 - r) * std::pow(r, lag);
}

// Weight of [a, b) minutes under the half-hour curve (linear within a half hour).
double CurveWeight(const std::array<double, 48>& w, int a, int b) {
  double sum = 0;
  for (int m = a; m < b;) {
    const int slot = m / 30, end = std::min(b, (slot + 1) * 30);
    sum += w[slot] * (end - m) / 30.0;
    m = end;
  }
  return sum;
}

}  // namespace

std::optional<std::pair<int, int>> OpeningHours::For(Day day) const {
  if (year_end_closed && IsYearEndClosure(day)) return std::nullopt;
  if (IsJapaneseHoliday(day)) return holiday;
  return weekday[WeekdayIndex(day)];
}

Result<std::pair<int, int>> ParseHoursRange(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return InvalidArgumentError("", "must be HH:MM-HH:MM, such as 08:30-17:15");
  auto a = ParseClock(text.substr(0, dash));
  auto b = ParseClock(text.substr(dash + 1));
  if (!a || !b) return InvalidArgumentError("", "must be HH:MM-HH:MM, such as 08:30-17:15");
  if (*b <= *a) return InvalidArgumentError("", "must close after it opens");
  return std::pair{*a, *b};
}

IntradayProfile DefaultIntradayProfile(std::pair<int, int> hours, int interval_minutes, const ResponseParams& p) {
  const int bins = 1440 / interval_minutes;
  IntradayProfile out(bins, 0.0);
  double total = 0;
  for (int b = 0; b < bins; ++b) {
    const int a = std::max(hours.first, b * interval_minutes), e = std::min(hours.second, (b + 1) * interval_minutes);
    if (e <= a) continue;
    out[b] = CurveWeight(p.intraday_half_hour, a, e);
    total += out[b];
  }
  for (double& s : out) s = total > 0 ? s / total : 0;
  return out;
}

std::array<std::array<double, 14>, 3> DefaultResponseCurves(const ResponseParams& p) {
  std::array<std::array<double, 14>, 3> c{};
  const int delay = static_cast<int>(std::lround(p.mailing_delivery_days));
  for (int lag = 0; lag < 14; ++lag) {
    if (lag >= delay) c[0][lag] = p.mailing_inquiry_rate * DayShare(lag - delay, p.mailing_half_life_days);
    c[1][lag] = p.booking_take_up * DayShare(lag, p.booking_half_life_days);
    c[2][lag] = Decay(lag, p.news_half_life_days);
  }
  return c;
}

Result<Forecast> ForecastFromProfile(const CityProfile& c, int interval_minutes) {
  if (!(c.population > 0) || c.population > 2e8) return InvalidArgumentError("population", "must be 1 .. 200,000,000");
  if (c.target_group < 0 || c.target_group > c.population) {
    return InvalidArgumentError("target_group", "must be between 0 and the population");
  }
  if (c.days < 1 || c.days > 366) return InvalidArgumentError("days", "must be 1 .. 366");
  if (!(c.web_share >= 0) || !(c.line_share >= 0) || c.web_share + c.line_share > 1) {
    return InvalidArgumentError("channel_mix", "web and LINE shares must be >= 0 and add up to at most 1");
  }
  if (interval_minutes != 0 && (interval_minutes < 5 || interval_minutes > 60 || 1440 % interval_minutes != 0)) {
    return InvalidArgumentError("interval_minutes", "must be 5..60 and divide a day");
  }
  for (size_t i = 0; i < c.mailings.size(); ++i) {
    if (!(c.mailings[i].count > 0) || c.mailings[i].count > c.population) {
      return InvalidArgumentError("mailings[" + std::to_string(i) + "].count", "must be 1 .. population");
    }
  }
  for (size_t i = 0; i < c.booking_opens.size(); ++i) {
    if (!(c.booking_opens[i].count > 0) || c.booking_opens[i].count > c.population) {
      return InvalidArgumentError("booking_opens[" + std::to_string(i) + "].count", "must be 1 .. population");
    }
  }
  bool any_open = false;
  for (const auto& h : c.hours.weekday) any_open |= h.has_value();
  if (!any_open && !c.hours.holiday) return InvalidArgumentError("hours", "the center must open on some day");

  const ResponseParams& p = c.params;
  const double phone = 1 - c.web_share - c.line_share;
  // Each day: baseline, response from mailings and news, and booking response (separate: its
  // intraday shape differs).
  const int n = c.days;
  std::vector<double> base(n), response(n), booking(n), news_rel(n);
  std::vector<bool> open(n), booking_day0(n);
  std::vector<std::optional<std::pair<int, int>>> hours(n);
  for (int i = 0; i < n; ++i) {
    const Day d = c.start + days{i};
    hours[i] = c.hours.For(d);
    for (const Event& e : c.events) {
      if (e.day != d) continue;
      if (e.kind == EventKind::kClosed) hours[i].reset();
      if (e.kind == EventKind::kOpen && !hours[i]) hours[i] = c.hours.weekday[0] ? c.hours.weekday[0] : std::pair{540, 1020};
    }
    open[i] = hours[i].has_value();
    base[i] = c.population * p.baseline_per_10k / 1e4 * p.weekday_factors[WeekdayIndex(d)];
  }
  auto spread = [&](Day from, double total, double half_life, std::vector<double>& into) {
    for (int i = 0; i < n; ++i) {
      const auto lag = (c.start + days{i} - from).count();
      if (lag >= 0) into[i] += total * DayShare(static_cast<int>(lag), half_life);
    }
  };
  for (const Batch& m : c.mailings) {
    spread(m.day + days{static_cast<int>(std::lround(p.mailing_delivery_days))}, m.count * p.mailing_inquiry_rate, p.mailing_half_life_days,
           response);
  }
  for (const Batch& b : c.booking_opens) {
    spread(b.day, b.count * p.booking_take_up * phone, p.booking_half_life_days, booking);
    const auto off = (b.day - c.start).count();
    if (off >= 0 && off < n) booking_day0[off] = true;
  }
  for (const Event& e : c.events) {
    if (e.kind != EventKind::kNews) continue;
    for (int i = 0; i < n; ++i) {
      const auto lag = (c.start + days{i} - e.day).count();
      if (lag >= 0 && lag < 14) news_rel[i] += e.size * Decay(static_cast<double>(lag), p.news_half_life_days);
    }
  }
  // Closed days pass their response on to the next open day.
  double carry_r = 0, carry_b = 0;
  for (int i = 0; i < n; ++i) {
    if (!open[i]) {
      carry_r += response[i];
      carry_b += booking[i];
      response[i] = booking[i] = 0;
      continue;
    }
    response[i] += carry_r;
    booking[i] += carry_b;
    if (carry_b > 0) booking_day0[i] = true;  // the first open day after an opening on a closed day
    carry_r = carry_b = 0;
  }

  Forecast out;
  out.interval_minutes = interval_minutes;
  for (int i = 0; i < n; ++i) {
    DayForecast day{c.start + days{i}, !open[i]};
    if (open[i]) {
      day.p50 = (base[i] + response[i]) * (1 + news_rel[i]) + booking[i];
      day.p10 = day.p50 * std::exp(-kZ90 * p.log_spread);
      day.p90 = day.p50 * std::exp(kZ90 * p.log_spread);
      day.p10 = std::min(day.p10, std::max(0.0, day.p50 - kZ90 * std::sqrt(day.p50)));
      day.p90 = std::max(day.p90, day.p50 + kZ90 * std::sqrt(day.p50));
    }
    out.days.push_back(day);
    if (!open[i] || interval_minutes == 0) continue;
    const IntradayProfile normal = DefaultIntradayProfile(*hours[i], interval_minutes, p);
    IntradayProfile share = normal;
    if (booking_day0[i] && day.p50 > 0) {
      // Booking calls front-loaded from the opening time.
      IntradayProfile rush(normal.size(), 0.0);
      double total = 0;
      for (size_t b = 0; b < rush.size(); ++b) {
        if (normal[b] <= 0) continue;
        const double mid = (static_cast<double>(b) + 0.5) * interval_minutes - hours[i]->first;
        rush[b] = Decay(std::max(0.0, mid) / 60.0, p.opening_rush_half_life_hours);
        total += rush[b];
      }
      const double wb = booking[i] / day.p50;
      for (size_t b = 0; b < share.size(); ++b) share[b] = (1 - wb) * normal[b] + wb * (total > 0 ? rush[b] / total : 0);
    }
    for (size_t b = 0; b < share.size(); ++b) {
      if (share[b] <= 0) continue;
      IntervalForecast f{day.day, static_cast<int>(b) * interval_minutes, 0, day.p50 * share[b], 0};
      const double m = f.p50;
      f.p10 = std::max(0.0, m - std::sqrt(std::pow(m - day.p10 * share[b], 2) + kZ90 * kZ90 * m));
      f.p90 = m + std::sqrt(std::pow(day.p90 * share[b] - m, 2) + kZ90 * kZ90 * m);
      out.intervals.push_back(f);
    }
  }
  return out;
}

}  // namespace madoguchi::forecast
