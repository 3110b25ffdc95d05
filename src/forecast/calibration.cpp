#include "forecast/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace madoguchi::forecast {
namespace {

using std::chrono::days;

const char* kIntradaySeries = "anonbank_1999_6min_calls.csv";

double Median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

bool Has(const History& h, long long i) { return i >= 0 && static_cast<size_t>(i) < h.daily.size() && !std::isnan(h.daily[i]); }

// Median over eligible weeks of each day / the week's Mon–Fri mean; NaN where no week qualifies.
std::array<double, 7> WeekdayRatios(const History& h, bool weekend) {
  std::array<std::vector<double>, 7> ratios;
  const int first_monday = (7 - WeekdayIndex(h.first_day)) % 7;
  for (size_t m = first_monday; m + 6 < h.daily.size(); m += 7) {
    bool ok = true;
    double sum = 0;
    for (int k = 0; k < 5 && ok; ++k) {
      const Day d = h.first_day + days{static_cast<int>(m + k)};
      ok = Has(h, m + k) && h.daily[m + k] > 0 && !IsJapaneseHoliday(d) && !IsYearEndClosure(d);
      if (ok) sum += h.daily[m + k];
    }
    if (!ok) continue;
    const double mean = sum / 5;
    for (int k = 0; k < 5; ++k) ratios[k].push_back(h.daily[m + k] / mean);
    for (int k = 5; k < 7 && weekend; ++k) {
      const Day d = h.first_day + days{static_cast<int>(m + k)};
      if (Has(h, m + k) && h.daily[m + k] > 0 && !IsJapaneseHoliday(d)) ratios[k].push_back(h.daily[m + k] / mean);
    }
  }
  std::array<double, 7> out;
  for (int k = 0; k < 7; ++k) out[k] = ratios[k].size() >= 8 ? Median(ratios[k]) : std::nan("");
  return out;
}

bool OpenWeekends(const History& h) {
  int n = 0, zero = 0;
  for (size_t i = 0; i < h.daily.size(); ++i) {
    if (!Has(h, i) || WeekdayIndex(h.first_day + days{static_cast<int>(i)}) < 5) continue;
    ++n;
    zero += h.daily[i] == 0;
  }
  return n > 20 && zero < 0.2 * n;
}

// Days until a spike's excess over the median of the 14 open days before it halves.
std::vector<double> SpikeHalfLives(const History& h) {
  std::vector<double> out;
  long long last_spike = -100;
  for (size_t t = 0; t < h.daily.size(); ++t) {
    if (!Has(h, t) || h.daily[t] <= 0 || static_cast<long long>(t) - last_spike < 14) continue;
    std::vector<double> before;
    for (long long k = static_cast<long long>(t) - 1; k >= 0 && before.size() < 14; --k) {
      if (Has(h, k) && h.daily[k] > 0) before.push_back(h.daily[k]);
    }
    if (before.size() < 8) continue;
    const double base = Median(before);
    if (base < 10 || h.daily[t] < 2.5 * base) continue;
    last_spike = static_cast<long long>(t);
    const double e0 = h.daily[t] - base;
    // Walk open days after the spike until the excess falls below half.
    double prev = e0;
    int lag = 0;
    for (size_t k = t + 1; k < h.daily.size() && lag < 14; ++k) {
      if (!Has(h, k) || h.daily[k] == 0) continue;  // closed
      ++lag;
      const double e = h.daily[k] - base;
      if (e <= e0 / 2) {
        out.push_back(lag - 1 + (prev - e0 / 2) / (prev - e));
        break;
      }
      prev = e;
    }
  }
  return out;
}

double LogSpread7(const History& h) {
  std::vector<double> r;
  for (size_t t = 7; t < h.daily.size(); ++t) {
    if (!Has(h, t) || !Has(h, t - 7) || h.daily[t] <= 0 || h.daily[t - 7] <= 0) continue;
    r.push_back(std::log(h.daily[t] / h.daily[t - 7]));
  }
  if (r.size() < 28) return std::nan("");
  const double med = Median(r);
  for (double& x : r) x = std::abs(x - med);
  return 1.4826 * Median(r);
}

}  // namespace

std::vector<std::string> CalibrationFiles() {
  return {"toyama_general_consultation_daily.csv",     "toyama_jushin_soudan_center_daily.csv",
          "okayama_general_consultation_daily.csv",    "okayama_jushin_soudan_center_daily.csv",
          "kagawa_general_consultation_daily.csv",     "tokyo_callcenter_daily.csv",
          "tokyo_fever_consultation_center_daily.csv", "tokyo_7119_fever_calls_daily.csv",
          "japan_mhlw_callcenter_daily.csv",           kIntradaySeries};
}

std::vector<BacktestCase> BacktestSuite() {
  return {
      {"toyama_general_consultation_daily.csv", "", "", false, "Toyama general line"},
      {"toyama_jushin_soudan_center_daily.csv", "", "", false, "Toyama 受診・相談センター"},
      {"okayama_general_consultation_daily.csv", "", "2020-05-01", false, "Okayama general (zeros before May 2020 are artifacts)"},
      {"okayama_jushin_soudan_center_daily.csv", "", "2020-05-01", false, "Okayama 受診相談センター"},
      {"kagawa_general_consultation_daily.csv", "", "", false, "Kagawa general"},
      {"kagawa_jushin_consultation_daily.csv", "", "", false, "Kagawa 受診相談"},
      {"tokyo_callcenter_daily.csv", "", "", false, "Tokyo COVID call center"},
      {"tokyo_returnee_contact_center_daily.csv", "", "", false, "Tokyo returnee/contact line"},
      {"tokyo_fever_consultation_center_daily.csv", "", "", false, "Tokyo fever consultation center"},
      {"tokyo_7119_fever_calls_daily.csv", "", "", false, "Tokyo #7119 fever calls"},
      {"japan_mhlw_callcenter_daily.csv", "", "", false, "MHLW national line (flagged rows skipped)"},
      {"yamanashi_consultation_daily.csv", "dedicated_dial_calls", "", false, "Yamanashi dedicated dial"},
      {"anonbank_1999_6min_calls.csv", "", "", false, "Anonymous Bank 1999, days"},
      {"anonbank_1999_6min_calls.csv", "", "", true, "Anonymous Bank 1999, 30-minute intervals"},
      {"nabank_2003_5min_calls.csv", "", "", false, "North American bank 2003, days"},
      {"nabank_2003_5min_calls.csv", "", "", true, "North American bank 2003, 30-minute intervals"},
  };
}

Result<Calibration> Calibrate(const CalibrationInput& in) {
  Calibration c;
  std::array<std::vector<double>, 7> factors;
  std::vector<double> half_lives, spreads;
  bool have_intraday = false;
  for (const NamedSeries& s : in.series) {
    const History& h = s.history;
    if (s.name == kIntradaySeries) {
      // Full days only (the bank closes early on Fridays and shuts on Saturdays).
      std::vector<double> totals;
      for (size_t i = 0; i < h.daily.size(); ++i) {
        if (Has(h, i) && h.daily[i] > 0) totals.push_back(h.daily[i]);
      }
      const double typical = Median(totals);
      std::array<double, 48> sum{};
      int n = 0;
      const int per = 30 / std::max(1, h.interval_minutes);
      if (h.interval_minutes <= 0 || 30 % h.interval_minutes != 0) {
        return InvalidArgumentError(s.name, "needs interval counts dividing 30 minutes");
      }
      for (size_t i = 0; i < h.daily.size(); ++i) {
        if (!Has(h, i) || h.daily[i] < 0.8 * typical || h.intraday[i].empty()) continue;
        for (size_t b = 0; b < h.intraday[i].size(); ++b) sum[b / per] += h.intraday[i][b] / h.daily[i];
        ++n;
      }
      if (n == 0) return InvalidArgumentError(s.name, "has no full days");
      for (int k = 0; k < 48; ++k) c.intraday_half_hour[k] = std::round(sum[k] / n * 1e4) / 1e4;
      have_intraday = true;
      continue;
    }
    const bool weekend = OpenWeekends(h);
    const auto r = WeekdayRatios(h, weekend);
    for (int k = 0; k < 7; ++k) {
      if (!std::isnan(r[k])) factors[k].push_back(r[k]);
    }
    const auto hl = SpikeHalfLives(h);
    half_lives.insert(half_lives.end(), hl.begin(), hl.end());
    const double sp = LogSpread7(h);
    if (!std::isnan(sp)) spreads.push_back(sp);
  }
  if (!have_intraday) return InvalidArgumentError(kIntradaySeries, "is missing");
  for (int k = 0; k < 7; ++k) {
    if (factors[k].empty()) return InvalidArgumentError("series", "no series gives a factor for weekday " + std::to_string(k));
    const double mean = std::accumulate(factors[k].begin(), factors[k].end(), 0.0) / factors[k].size();
    c.weekday_factors[k] = std::round(mean * 1e4) / 1e4;
  }
  if (half_lives.empty() || spreads.empty()) return InvalidArgumentError("series", "too short to calibrate");
  c.news_spikes = static_cast<int>(half_lives.size());
  c.news_half_life_days = std::round(Median(half_lives) * 100) / 100;
  c.log_spread_7d = std::round(Median(spreads) * 1000) / 1000;
  return c;
}

}  // namespace madoguchi::forecast
