// src/common/svg_chart.cpp — see svg_chart.hpp.
#include "common/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include "common/text.hpp"

namespace madoguchi::svg {

std::string Fixed(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const long long n = std::llround(v * scale);
  const long long a = std::llabs(n);
  std::string s = std::to_string(a / static_cast<long long>(scale));
  if (decimals > 0) {
    std::string frac = std::to_string(a % static_cast<long long>(scale));
    s += "." + std::string(decimals - frac.size(), '0') + frac;
  }
  if (n < 0) s.insert(s.begin(), '-');
  return s;
}

double NiceMax(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.2, 1.6, 2.0, 2.4, 3.2, 4.0, 6.0, 8.0, 10.0}) {  // quarters stay round
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

std::string Chart(const std::string& title, size_t n, const std::vector<std::pair<size_t, std::string>>& x_labels,
                  const std::vector<Series>& series, const std::optional<Band>& band, double y_max, bool percent) {
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  auto X = [&](double i) { return kLeft + (n <= 1 ? 0 : i / (n - 1) * pw); };
  auto Y = [&](double v) { return kTop + ph - std::clamp(v / y_max, 0.0, 1.05) * ph; };
  std::string s = "<figure><svg viewBox=\"0 0 " + Fixed(kW, 0) + " " + Fixed(kH, 0) + "\" role=\"img\" aria-label=\"" +
                  text::HtmlEscape(title) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  s += "<text x=\"" + Fixed(kLeft, 0) + "\" y=\"22\" class=\"t\">" + text::HtmlEscape(title) + "</text>";
  for (int k = 0; k <= 4; ++k) {
    const double v = y_max * k / 4, y = Y(v);
    s += "<line x1=\"" + Fixed(kLeft, 0) + "\" x2=\"" + Fixed(kW - kRight, 0) + "\" y1=\"" + Fixed(y, 1) + "\" y2=\"" + Fixed(y, 1) +
         "\" class=\"g\"/>";
    s += "<text x=\"" + Fixed(kLeft - 6, 0) + "\" y=\"" + Fixed(y + 5, 1) + "\" class=\"yl\">" +
         (percent ? Fixed(v * 100, 0) + "%" : text::GroupThousands(v)) + "</text>";
  }
  for (const auto& [i, label] : x_labels) {
    s += "<line x1=\"" + Fixed(X(i), 1) + "\" x2=\"" + Fixed(X(i), 1) + "\" y1=\"" + Fixed(kTop, 0) + "\" y2=\"" + Fixed(kTop + ph, 0) +
         "\" class=\"g\"/>";
    s += "<text x=\"" + Fixed(X(i), 1) + "\" y=\"" + Fixed(kH - kBottom + 20, 0) + "\" class=\"xl\">" + text::HtmlEscape(label) + "</text>";
  }
  if (band && n > 0) {
    std::string pts;
    for (size_t i = 0; i < n; ++i) pts += Fixed(X(i), 1) + "," + Fixed(Y(band->hi[i]), 1) + " ";
    for (size_t i = n; i-- > 0;) pts += Fixed(X(i), 1) + "," + Fixed(Y(band->lo[i]), 1) + " ";
    s += "<polygon points=\"" + pts + "\" fill=\"" + band->color + "\" opacity=\"0.35\"/>";
  }
  for (const Series& se : series) {
    std::string d;
    bool pen = false;
    for (size_t i = 0; i < se.y.size(); ++i) {
      if (!se.y[i]) {
        pen = false;
        continue;
      }
      const double x = X(i), y = Y(*se.y[i]);
      if (se.step && pen) d += "H" + Fixed(x, 1) + "V" + Fixed(y, 1);
      else d += (pen ? "L" : "M") + Fixed(x, 1) + "," + Fixed(y, 1);
      pen = true;
    }
    s += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + se.color + "\" stroke-width=\"2.5\"" +
         (se.dashed ? " stroke-dasharray=\"8 6\"" : "") + "/>";
  }
  // Legend.
  double lx = kLeft;
  auto legend = [&](const std::string& label, const std::string& color, bool area, bool dashed) {
    const double y = kH - 12;
    if (area) {
      s += "<rect x=\"" + Fixed(lx, 0) + "\" y=\"" + Fixed(y - 10, 0) + "\" width=\"22\" height=\"12\" fill=\"" + color +
           "\" opacity=\"0.35\"/>";
    } else {
      s += "<line x1=\"" + Fixed(lx, 0) + "\" x2=\"" + Fixed(lx + 22, 0) + "\" y1=\"" + Fixed(y - 4, 0) + "\" y2=\"" + Fixed(y - 4, 0) +
           "\" stroke=\"" + color + "\" stroke-width=\"3\"" + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
    }
    s += "<text x=\"" + Fixed(lx + 28, 0) + "\" y=\"" + Fixed(y, 0) + "\" class=\"lg\">" + text::HtmlEscape(label) + "</text>";
    lx += 48 + 16 * static_cast<double>(label.size()) / 2.2;
  };
  if (band) legend(band->label, band->color, true, false);
  for (const Series& se : series) legend(se.label, se.color, false, se.dashed);
  s += "</svg></figure>\n";
  return s;
}

}  // namespace madoguchi::svg
