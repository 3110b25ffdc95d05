// src/forecast/calibration.hpp — the city-profile defaults, derived from real call series.
//
// `madoguchi forecast calibrate --data ../shared/data/calls` reads the files named by
// CalibrationFiles() and prints what Calibrate() finds; profile.hpp's calibrated defaults are
// those numbers (a test keeps them in step). What each number is taken from:
//   * weekday factors: Monday..Friday from every Japanese daily series (weeks with all five days
//     open and no holiday; each day over the week's Mon–Fri mean; median over weeks, mean over
//     series); Saturday and Sunday from the series open seven days a week;
//   * intraday half-hour weights: Anonymous Bank 1999, full weekdays (its 6-minute counts);
//   * news half-life: spikes in the Japanese series (a day at least 2.5× the median of the 14
//     open days before it); days until the excess halves, median over spikes;
//   * log spread: robust sd of log(y_t / y_{t−7}) over the Japanese series, median over series.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "forecast/model.hpp"

namespace madoguchi::forecast {

struct NamedSeries {
  std::string name;
  History history;
};

struct CalibrationInput {
  std::vector<NamedSeries> series;  // in CalibrationFiles() order
};

struct Calibration {
  std::array<double, 7> weekday_factors{};
  std::array<double, 48> intraday_half_hour{};
  double news_half_life_days = 0;
  int news_spikes = 0;
  double log_spread_7d = 0;
};

std::vector<std::string> CalibrationFiles();

// The backtest suite over ../shared/data/calls (docs/forecast.md has its table): each file with
// the count column to read, the first day to use, and whether to score intervals.
struct BacktestCase {
  std::string file;
  std::string column;  // empty: "calls"
  std::string from;    // empty: from the start
  bool intervals = false;
  std::string note;
};
std::vector<BacktestCase> BacktestSuite();
Result<Calibration> Calibrate(const CalibrationInput& input);

}  // namespace madoguchi::forecast
