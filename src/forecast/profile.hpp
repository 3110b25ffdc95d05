// src/forecast/profile.hpp — calls from a city profile when there is no history.
//
// Daily first-attempt calls (redials are the simulator's business) on each open day are
//   baseline      population × baseline_per_10k / 10,000 × weekday factor
// + mailings      tickets × inquiry_rate, starting `delivery_days` after the mailing date and
//                 decaying with half-life `mailing_half_life_days`
// + booking       people whose booking opens × take_up × phone share (1 − web − LINE), starting on
//                 the opening day and decaying with half-life `booking_half_life_days`
// + news          relative jumps (size 1 doubles the day) decaying with `news_half_life_days`.
// Response that falls on a closed day is carried to the next open day (people call back when the
// center opens). Intraday: the default profile (calibrated half-hour weights) restricted to the
// opening hours; on a booking opening day the booking calls are front-loaded, decaying from the
// opening time with half-life `opening_rush_half_life_hours`.
// Bands: lognormal with the calibrated week-ahead log spread, never narrower than Poisson noise.
// Which defaults are calibrated on ../shared/data/calls and which are assumptions (and from which
// reports) is in docs/forecast.md.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "forecast/calendar.hpp"
#include "forecast/model.hpp"

namespace madoguchi::forecast {

struct ResponseParams {
  // Calibrated (`madoguchi forecast calibrate --data ../shared/data/calls`).
  std::array<double, 7> weekday_factors = {1.1252, 0.9853, 0.9638, 0.9609, 0.9405, 0.8251, 0.7799};
  std::array<double, 48> intraday_half_hour = {
      0.0020, 0.0012, 0.0008, 0.0005, 0.0003, 0.0003, 0.0002, 0.0001, 0.0002, 0.0001, 0.0002, 0.0005, 0.0009, 0.0029, 0.0101, 0.0144,
      0.0227, 0.0324, 0.0354, 0.0426, 0.0457, 0.0434, 0.0394, 0.0378, 0.0355, 0.0340, 0.0359, 0.0374, 0.0393, 0.0388, 0.0391, 0.0394,
      0.0382, 0.0368, 0.0304, 0.0297, 0.0274, 0.0241, 0.0219, 0.0198, 0.0172, 0.0201, 0.0186, 0.0198, 0.0182, 0.0168, 0.0156, 0.0113};
  double news_half_life_days = 1.62;
  double log_spread = 0.289;  // sd of log(calls) one week ahead
  // Assumptions, documented with the reports they were checked against.
  double baseline_per_10k = 1.5;       // general inquiries per 10,000 residents per open day
  double mailing_delivery_days = 2;    // mailed → in letterboxes
  double mailing_inquiry_rate = 0.10;  // calls per ticket over the weeks after delivery
  double mailing_half_life_days = 2.0;
  double booking_take_up = 0.85;  // share of those opened who book in the first weeks
  double booking_half_life_days = 1.5;
  double opening_rush_half_life_hours = 1.5;
};

// Opening hours per weekday (0 = Monday) and on holidays; nullopt = closed.
struct OpeningHours {
  std::array<std::optional<std::pair<int, int>>, 7> weekday;  // [open, close) in minutes
  std::optional<std::pair<int, int>> holiday;
  bool year_end_closed = true;
  std::optional<std::pair<int, int>> For(Day day) const;
};

// "08:30-17:15" → {510, 1035}. Errors name nothing (the caller knows the field).
Result<std::pair<int, int>> ParseHoursRange(std::string_view text);

struct Batch {
  Day day{};
  double count = 0;
};

struct CityProfile {
  double population = 0;
  double target_group = 0;  // people the operation serves (for the sanity check on totals)
  Day start{};
  int days = 0;  // 1 .. 366
  std::vector<Batch> mailings;
  std::vector<Batch> booking_opens;
  std::vector<Event> events;  // news, closed, open
  OpeningHours hours;
  double web_share = 0, line_share = 0;
  ResponseParams params;
};

// Errors: kInvalidArgument naming the field ("population", "mailings[1].count", "web_share", …).
Result<Forecast> ForecastFromProfile(const CityProfile& profile, int interval_minutes);

// The calibrated half-hour curve restricted to [open, close) at `interval_minutes`, summing to 1.
IntradayProfile DefaultIntradayProfile(std::pair<int, int> hours, int interval_minutes, const ResponseParams& p);

// Per-unit response at lags 0..13 for mailing, booking_open and news (used by history forecasts
// for event kinds their history has no example of).
std::array<std::array<double, 14>, 3> DefaultResponseCurves(const ResponseParams& p);

}  // namespace madoguchi::forecast
