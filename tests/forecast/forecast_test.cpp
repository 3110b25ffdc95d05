// The forecaster: Japan's calendar, the history model (weekdays, closures, bands, censoring,
// events), city profiles, and — on the real series in ../shared/data/calls — the backtest against
// seasonal-naive and the calibrated defaults.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "forecast/calendar.hpp"
#include "forecast/calibration.hpp"
#include "forecast/model.hpp"
#include "forecast/profile.hpp"
#include "formats/history_csv.hpp"
#include "support/shared_data.hpp"

namespace madoguchi::forecast {
namespace {

using std::chrono::days;

Day D(const char* s) { return *ParseIsoDate(s); }

TEST(CalendarTest, JapaneseHolidaysIncludingMovedAndSubstituteDays) {
  EXPECT_EQ(JapaneseHoliday(D("2027-01-01")), "元日");
  EXPECT_EQ(JapaneseHoliday(D("2027-01-11")), "成人の日");    // 2nd Monday
  EXPECT_EQ(JapaneseHoliday(D("2023-01-02")), "振替休日");    // 1/1 was a Sunday
  EXPECT_EQ(JapaneseHoliday(D("2026-09-22")), "国民の休日");  // between 敬老の日 and 秋分の日
  EXPECT_EQ(JapaneseHoliday(D("2026-09-23")), "秋分の日");
  EXPECT_EQ(JapaneseHoliday(D("2027-03-21")), "春分の日");
  EXPECT_EQ(JapaneseHoliday(D("2021-07-23")), "スポーツの日");  // Olympic move
  EXPECT_EQ(JapaneseHoliday(D("2021-08-09")), "振替休日");      // 山の日 moved to Sunday 8/8
  EXPECT_FALSE(IsJapaneseHoliday(D("2021-10-11")));             // スポーツの日 was moved away
  EXPECT_EQ(JapaneseHoliday(D("2019-05-01")), "即位の日");
  EXPECT_EQ(JapaneseHoliday(D("2025-05-06")), "振替休日");  // 5/4 Sunday → after 5/5 → 5/6
  EXPECT_FALSE(IsJapaneseHoliday(D("2027-04-12")));
  EXPECT_TRUE(IsYearEndClosure(D("2026-12-29")));
  EXPECT_TRUE(IsYearEndClosure(D("2027-01-03")));
  EXPECT_FALSE(IsYearEndClosure(D("2027-01-04")));
  EXPECT_EQ(WeekdayIndex(D("2026-11-26")), 3);  // Thursday
}

TEST(CalendarTest, ParsesOnlyValidDatesAndTimes) {
  EXPECT_TRUE(ParseIsoDate("2024-02-29"));
  EXPECT_FALSE(ParseIsoDate("2023-02-29"));
  EXPECT_FALSE(ParseIsoDate("2023-2-1"));
  EXPECT_FALSE(ParseIsoDate("2023-02-01 "));
  EXPECT_EQ(FormatIsoDate(D("2027-04-05")), "2027-04-05");
  EXPECT_EQ(ParseClock("08:30"), 510);
  EXPECT_EQ(ParseClock("24:00"), 1440);
  EXPECT_FALSE(ParseClock("24:30"));
  EXPECT_EQ(ParseClock("8:30"), 510) << "as people write it (issue #11, item 14)";
  EXPECT_FALSE(ParseClock("8:3"));
  EXPECT_EQ(FormatClock(1035), "17:15");
}

// A municipal line: Poisson calls, Monday +30 %, Friday −10 %, closed at weekends and holidays.
History Synthetic(Day first, int n, double level, uint64_t seed, double trend_per_day = 0) {
  std::mt19937_64 rng(seed);
  History h;
  h.first_day = first;
  const double factor[7] = {1.3, 1.0, 1.0, 1.0, 0.9, 0, 0};
  for (int i = 0; i < n; ++i) {
    const Day d = first + days{i};
    const double mean = IsJapaneseHoliday(d) ? 0 : (level + trend_per_day * i) * factor[WeekdayIndex(d)];
    h.daily.push_back(mean > 0 ? std::poisson_distribution<int>(mean)(rng) : 0);
  }
  return h;
}

TEST(HistoryForecastTest, LearnsWeekdaysClosuresAndGivesOrderedBands) {
  const History h = Synthetic(D("2025-01-06"), 364, 200, 1);
  ForecastSettings s;
  s.horizon_days = 28;
  auto f = ForecastFromHistory(h, {}, s);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->days.size(), 28u);
  EXPECT_TRUE(f->closed_weekdays[5]);
  EXPECT_TRUE(f->closed_weekdays[6]);
  EXPECT_TRUE(f->holidays_closed);
  double monday = 0, wednesday = 0;
  for (const auto& d : f->days) {
    const int w = WeekdayIndex(d.day);
    if (w >= 5 || IsJapaneseHoliday(d.day)) {
      EXPECT_TRUE(d.closed) << FormatIsoDate(d.day);
      EXPECT_EQ(d.p50, 0);
      continue;
    }
    EXPECT_LE(d.p10, d.p50);
    EXPECT_LE(d.p50, d.p90);
    EXPECT_GT(d.p90 - d.p10, 2 * 1.28 * std::sqrt(d.p50) * 0.99) << "never narrower than Poisson noise";
    if (w == 0) monday = d.p50;
    if (w == 2) wednesday = d.p50;
  }
  EXPECT_NEAR(monday / wednesday, 1.3, 0.08);
  EXPECT_NEAR(wednesday, 200, 20);
}

TEST(HistoryForecastTest, BandsCoverAboutEightyPercentOfWhatHappens) {
  // Fit on 300 days, then compare the next 56 with their bands.
  const History all = Synthetic(D("2024-01-08"), 356, 120, 7);
  History train = all;
  train.daily.resize(300);
  ForecastSettings s;
  s.horizon_days = 56;
  auto f = ForecastFromHistory(train, {}, s);
  ASSERT_TRUE(f.ok());
  int inside = 0, open = 0;
  for (size_t i = 0; i < f->days.size(); ++i) {
    if (f->days[i].closed) continue;
    const double y = all.daily[300 + i];
    ++open;
    inside += y >= f->days[i].p10 && y <= f->days[i].p90;
  }
  ASSERT_GT(open, 30);
  EXPECT_GE(inside, 0.65 * open);
  EXPECT_LE(inside, 0.97 * open);
}

TEST(HistoryForecastTest, CensoredDaysPushTheForecastUpNotDown) {
  // Demand climbs from 100 to 300 a day, but the center could only handle 180.
  History h = Synthetic(D("2025-01-06"), 182, 100, 3, 200.0 / 182);
  History capped = h;
  for (double& y : capped.daily) y = std::min(y, 180.0);
  ForecastSettings plain;
  plain.horizon_days = 7;
  ForecastSettings censored = plain;
  censored.capacity = 180;
  auto naive = ForecastFromHistory(capped, {}, plain);
  auto aware = ForecastFromHistory(capped, {}, censored);
  ASSERT_TRUE(naive.ok() && aware.ok());
  EXPECT_GT(aware->censored_days, 20);
  double a = 0, b = 0;
  for (size_t i = 0; i < aware->days.size(); ++i) a += aware->days[i].p50, b += naive->days[i].p50;
  EXPECT_GT(a, b * 1.05) << "demand above the cap must not be read as a ceiling";
}

TEST(HistoryForecastTest, DetectsAPlateauAsCapacity) {
  History h = Synthetic(D("2025-01-06"), 140, 60, 5);
  for (size_t i = 100; i < 120; ++i) {
    if (h.daily[i] > 0) h.daily[i] = 250;  // every open day of a surge hits the same ceiling
  }
  auto f = ForecastFromHistory(h, {}, ForecastSettings{});
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->capacity);
  EXPECT_NEAR(*f->capacity, 250, 1);
  EXPECT_GE(f->censored_days, 10);
}

TEST(HistoryForecastTest, EventResponseLearnedFromHistoryAppliesToAFutureEvent) {
  // Each mailing of 1,000 tickets brings 60 extra calls two open days later.
  History h = Synthetic(D("2025-01-06"), 280, 100, 11);
  std::vector<Event> events;
  for (int start = 35; start < 260; start += 35) {
    const Day d = h.first_day + days{start};  // a Monday every five weeks
    events.push_back({d, EventKind::kMailing, 1000, ""});
    h.daily[start + 2] += 60;
  }
  const Day future = h.last_day() + days{1} + days{(7 - WeekdayIndex(h.last_day() + days{1})) % 7};  // next Monday
  ForecastSettings s;
  s.horizon_days = 14;
  auto without = ForecastFromHistory(h, events, s);
  events.push_back({future, EventKind::kMailing, 2000, ""});
  auto with = ForecastFromHistory(h, events, s);
  ASSERT_TRUE(without.ok() && with.ok());
  const auto lag2 = (future + days{2} - h.first_day).count() - static_cast<long long>(h.daily.size());
  ASSERT_GE(lag2, 0);
  EXPECT_NEAR(with->days[lag2].p50 - without->days[lag2].p50, 120, 35);
}

TEST(HistoryForecastTest, IntradayProfileSplitsTheDay) {
  History h;
  h.first_day = D("2025-03-03");
  h.interval_minutes = 30;
  for (int i = 0; i < 70; ++i) {
    std::vector<double> bins(48, 0.0);
    if (WeekdayIndex(h.first_day + days{i}) < 5) {
      for (int b = 17; b < 35; ++b) bins[b] = b < 24 ? 20 : 10;  // busier mornings, 08:30–17:30
    }
    double total = 0;
    for (double v : bins) total += v;
    h.daily.push_back(total);
    h.intraday.push_back(bins);
  }
  ForecastSettings s;
  s.horizon_days = 7;
  s.interval_minutes = 30;
  auto f = ForecastFromHistory(h, {}, s);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_FALSE(f->intervals.empty());
  double morning = 0;
  int mornings = 0;
  for (const auto& i : f->intervals) {
    EXPECT_GE(i.start_minute, 510);
    EXPECT_LT(i.start_minute, 1050);
    if (i.start_minute < 720) {
      morning += i.p50;
      ++mornings;
    }
    EXPECT_LE(i.p10, i.p50);
    EXPECT_LE(i.p50, i.p90);
  }
  EXPECT_NEAR(morning / mornings, 20, 2);  // per morning interval
}

TEST(HistoryForecastTest, BadInputNamesTheField) {
  History tiny;
  tiny.first_day = D("2025-01-01");
  tiny.daily.assign(10, 5.0);
  EXPECT_EQ(ForecastFromHistory(tiny, {}, {}).status().field(), "history");
  const History h = Synthetic(D("2025-01-06"), 100, 50, 1);
  ForecastSettings s;
  s.horizon_days = 0;
  EXPECT_EQ(ForecastFromHistory(h, {}, s).status().field(), "horizon_days");
  s.horizon_days = 7;
  s.interval_minutes = 7;
  EXPECT_EQ(ForecastFromHistory(h, {}, s).status().field(), "interval_minutes");
  s.interval_minutes = 30;
  EXPECT_EQ(ForecastFromHistory(h, {}, s).status().field(), "interval_minutes") << "no interval data, no hours";
  s.interval_minutes = 0;
  s.capacity = -1;
  EXPECT_EQ(ForecastFromHistory(h, {}, s).status().field(), "capacity");
}

CityProfile Nichinan() {
  CityProfile c;
  c.population = 50000;
  c.target_group = 16500;
  c.start = D("2027-04-05");
  c.days = 28;
  c.mailings = {{D("2027-04-05"), 3000}};
  c.booking_opens = {{D("2027-04-12"), 3000}};
  for (int w = 0; w < 5; ++w) c.hours.weekday[w] = std::pair{510, 1035};
  c.web_share = 0.3;
  c.line_share = 0.1;
  return c;
}

TEST(ProfileForecastTest, MailingsAndBookingOpeningDriveTheCalls) {
  const CityProfile c = Nichinan();
  auto f = ForecastFromProfile(c, 30);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->days.size(), 28u);
  const ResponseParams p;
  double total = 0, peak = 0;
  Day peak_day{};
  for (const auto& d : f->days) {
    if (WeekdayIndex(d.day) >= 5) {
      EXPECT_TRUE(d.closed);
    }
    total += d.p50;
    if (d.p50 > peak) {
      peak = d.p50;
      peak_day = d.day;
    }
  }
  EXPECT_EQ(peak_day, D("2027-04-12")) << "the busiest day is the booking opening";
  // Nearly all the response arrives within four weeks.
  const double expected = 3000 * p.mailing_inquiry_rate + 3000 * p.booking_take_up * 0.6;
  EXPECT_GT(total, expected * 0.95);
  EXPECT_LT(total, expected + 28 * 50000 * p.baseline_per_10k / 1e4 * 1.2 + 1);
  // Opening day: front-loaded, and only within the opening hours.
  double first_hour = 0, day_total = 0;
  for (const auto& i : f->intervals) {
    if (i.day != D("2027-04-12")) continue;
    EXPECT_GE(i.start_minute, 510);
    EXPECT_LT(i.start_minute, 1035);
    day_total += i.p50;
    if (i.start_minute < 570) first_hour += i.p50;
  }
  EXPECT_GT(first_hour / day_total, 0.25);
}

TEST(ProfileForecastTest, AnOpeningOnAClosedDayArrivesOnTheNextOpenDay) {
  CityProfile c = Nichinan();
  c.booking_opens = {{D("2027-04-10"), 3000}};  // a Saturday; the center is closed
  auto f = ForecastFromProfile(c, 0);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->days[5].closed);
  EXPECT_GT(f->days[7].p50, f->days[8].p50 * 1.5) << "Monday 4/12 takes the weekend's callers";
}

TEST(ProfileForecastTest, BadProfilesNameTheField) {
  CityProfile c = Nichinan();
  c.population = 0;
  EXPECT_EQ(ForecastFromProfile(c, 30).status().field(), "population");
  c = Nichinan();
  c.web_share = 0.8;
  c.line_share = 0.4;
  EXPECT_EQ(ForecastFromProfile(c, 30).status().field(), "channel_mix");
  c = Nichinan();
  c.mailings[0].count = -5;
  EXPECT_EQ(ForecastFromProfile(c, 30).status().field(), "mailings[0].count");
  c = Nichinan();
  c.hours = {};
  EXPECT_EQ(ForecastFromProfile(c, 30).status().field(), "hours");
}

// ---- On the real series (../shared/data/calls; CI has it) ----

std::filesystem::path DataDir() { return std::filesystem::path(MADOGUCHI_SOURCE_DIR) / ".." / "shared" / "data" / "calls"; }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

History Load(const std::string& name, const std::string& column = "", const char* from = nullptr) {
  formats::HistoryOptions o;
  o.column = column;
  if (from) o.from = ParseIsoDate(from);
  auto parsed = formats::ParseHistoryCsv(Slurp(DataDir() / name), o);
  EXPECT_TRUE(parsed.ok()) << name << ": " << parsed.status().ToString();
  return parsed.ok() ? parsed->history : History{};
}

TEST(TrackForecastTest, JudgesFinishedDaysAgainstTheBandAndListsTodayAsItStands) {
  const Day d0 = *ParseIsoDate("2027-04-05");
  std::vector<DayForecast> f;
  for (int i = 0; i < 6; ++i) f.push_back({d0 + days{i}, i == 4, 80, 100, 120});
  f[4] = {d0 + days{4}, true, 0, 0, 0};  // closed
  // Day 0 within, day 1 above, day 2 below, day 3 no calls (below), day 4 closed and quiet, day 5 today.
  const std::vector<std::pair<Day, double>> actual = {{d0, 110}, {d0 + days{1}, 150}, {d0 + days{2}, 50}, {d0 + days{5}, 30}};
  const Tracking t = TrackForecast(f, actual, d0 + days{5});
  ASSERT_EQ(t.days.size(), 6u);
  EXPECT_EQ(t.finished_days, 5);
  EXPECT_EQ(t.days[0].side, 0);
  EXPECT_EQ(t.days[1].side, 1);
  EXPECT_EQ(t.days[2].side, -1);
  EXPECT_EQ(t.days[3].side, -1);
  EXPECT_EQ(t.days[3].actual, 0);
  EXPECT_EQ(t.days[4].side, 0);
  EXPECT_TRUE(t.days[5].partial);
  EXPECT_EQ(t.days[5].side, 0);
  EXPECT_EQ(t.days[5].actual, 30);
  EXPECT_EQ(t.above, 1);
  EXPECT_EQ(t.below, 2);
  EXPECT_DOUBLE_EQ(t.forecast_total, 400);
  EXPECT_DOUBLE_EQ(t.actual_total, 310);
  EXPECT_NEAR(t.wape, (10.0 + 50 + 50 + 100) / 310, 1e-12);
  // Days after today are not listed; a plan that starts tomorrow lists nothing.
  EXPECT_TRUE(TrackForecast(f, actual, d0 - days{1}).days.empty());
}

TEST(RealDataTest, BeatsSeasonalNaiveOnMostSeries) {
  MADOGUCHI_REQUIRE_SHARED_DATA("calls");
  int better = 0, total = 0;
  for (const BacktestCase& c : BacktestSuite()) {
    const History h = Load(c.file, c.column, c.from.empty() ? nullptr : c.from.c_str());
    BacktestSettings s;
    s.intervals = c.intervals;
    auto r = Backtest(h, {}, s);
    ASSERT_TRUE(r.ok()) << c.file << ": " << r.status().ToString();
    ++total;
    better += r->model.wape < r->seasonal_naive.wape;
    EXPECT_GT(r->points, 400) << c.file;
  }
  EXPECT_GE(better, total * 3 / 4) << better << " of " << total;
}

TEST(RealDataTest, TheProfileDefaultsAreWhatCalibrationFinds) {
  MADOGUCHI_REQUIRE_SHARED_DATA("calls");
  CalibrationInput in;
  for (const auto& name : CalibrationFiles()) in.series.push_back({name, Load(name)});
  auto c = Calibrate(in);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const ResponseParams defaults;
  for (int w = 0; w < 7; ++w) EXPECT_NEAR(defaults.weekday_factors[w], c->weekday_factors[w], 1e-4) << w;
  for (int k = 0; k < 48; ++k) EXPECT_NEAR(defaults.intraday_half_hour[k], c->intraday_half_hour[k], 1e-4) << k;
  EXPECT_NEAR(defaults.news_half_life_days, c->news_half_life_days, 0.01);
  EXPECT_NEAR(defaults.log_spread, c->log_spread_7d, 0.001);
  EXPECT_GT(c->news_spikes, 10);
  EXPECT_GT(defaults.weekday_factors[0], defaults.weekday_factors[2]) << "Mondays are busier on Japanese lines";
}

}  // namespace
}  // namespace madoguchi::forecast
