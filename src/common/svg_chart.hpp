// src/common/svg_chart.hpp — the line charts pages and reports draw: SVG, no script, labelled for
// screen readers (role="img" with the title), each series a colour and a legend entry.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace madoguchi::svg {

// `v` with exactly `decimals` digits after the point ("3.50"), as SVG coordinates are written.
std::string Fixed(double v, int decimals);

struct Series {
  std::string label, color;
  std::vector<std::optional<double>> y;  // nullopt: a gap in the line
  bool dashed = false;
  bool step = false;  // a staircase (a value that holds until the next point)
};

// A shaded range (e.g. p10–p90) behind the lines.
struct Band {
  std::string label, color;
  std::vector<double> lo, hi;
};

// The chart's box (viewBox units) and its margins.
inline constexpr double kW = 960, kH = 320, kLeft = 64, kRight = 16, kTop = 36, kBottom = 48;

// A round top for an axis whose highest value is `v` (quarters stay round numbers).
double NiceMax(double v);

// A line chart of `n` points titled `title`, x labels at the given indices, the y axis from 0 to
// `y_max` (as percentages when `percent`).
std::string Chart(const std::string& title, size_t n, const std::vector<std::pair<size_t, std::string>>& x_labels,
                  const std::vector<Series>& series, const std::optional<Band>& band, double y_max, bool percent);

}  // namespace madoguchi::svg
