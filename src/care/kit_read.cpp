#include "care/kit_read.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace madoguchi::care {

namespace {

constexpr int kWorkLong = 640;                   // the photo is read at this longer side
constexpr int kUprightW = 120, kUprightH = 360;  // the rectified cassette (width, length)

constexpr std::array<std::pair<KitCategory, std::string_view>, 6> kNames = {{
    {KitCategory::kReadable, "readable"},
    {KitCategory::kNoControlLine, "no_control_line"},
    {KitCategory::kBlurry, "blurry"},
    {KitCategory::kGlare, "glare"},
    {KitCategory::kNoKit, "no_kit"},
    {KitCategory::kTooSmall, "too_small"},
}};

// The smallest of B, G and R per pixel: high only where the picture is white or grey, which a
// cassette is and a coloured background is not.
cv::Mat MinChannel(const cv::Mat& bgr) {
  std::array<cv::Mat, 3> ch;
  cv::split(bgr, ch.data());
  cv::Mat out;
  cv::min(ch[0], ch[1], out);
  cv::min(out, ch[2], out);
  return out;
}

// The brightest blob of the cassette's proportions: the largest white region whose minimum
// rectangle has the template's length-to-width ratio and fills that rectangle.
std::optional<cv::RotatedRect> FindCassette(const cv::Mat& work, const KitTemplate& t) {
  cv::Mat mask;
  cv::threshold(MinChannel(work), mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  const double min_area = 0.002 * work.rows * work.cols;
  std::optional<cv::RotatedRect> best;
  double best_area = 0;
  for (const auto& c : contours) {
    const double area = cv::contourArea(c);
    if (area < min_area || area <= best_area) continue;
    const cv::RotatedRect r = cv::minAreaRect(c);
    const double l = std::max(r.size.width, r.size.height), s = std::min(r.size.width, r.size.height);
    if (s < 4 || std::abs(l / s - t.aspect) > t.aspect_tolerance || area / (l * s) < 0.75) continue;
    best = r;
    best_area = area;
  }
  return best;
}

// The rectangle's corners as (top-left, top-right, bottom-right) of an upright cassette, the
// long side vertical; which end is the top is settled afterwards.
std::array<cv::Point2f, 3> UprightCorners(const cv::RotatedRect& r) {
  std::array<cv::Point2f, 4> p;
  r.points(p.data());
  if (cv::norm(p[0] - p[1]) < cv::norm(p[1] - p[2])) return {p[0], p[1], p[2]};
  return {p[1], p[2], p[3]};
}

// The cassette, rectified to kUprightW × kUprightH with its long side vertical; which end is up
// is settled by where the window is.
cv::Mat Rectify(const cv::Mat& work, const cv::RotatedRect& r) {
  const auto src = UprightCorners(r);
  const std::array<cv::Point2f, 3> dst = {cv::Point2f(0, 0), cv::Point2f(kUprightW - 1, 0), cv::Point2f(kUprightW - 1, kUprightH - 1)};
  cv::Mat upright;
  cv::warpAffine(work, upright, cv::getAffineTransform(src.data(), dst.data()), {kUprightW, kUprightH}, cv::INTER_LINEAR,
                 cv::BORDER_REPLICATE);
  return upright;
}

// How blurred the cassette's long edges are: the Gaussian sigma that turns the step across the
// edge into its steepest slope (sigma = step / (slope · √(2π))), the median over points along
// each edge, the sharper edge's (a shadow softens one side). In working pixels; negative when no
// edge could be measured.
double EdgeBlur(const cv::Mat& gray, const cv::RotatedRect& r) {
  std::array<cv::Point2f, 4> p;
  r.points(p.data());
  const cv::Point2f centre = r.center;
  std::vector<double> per_edge;
  for (int e = 0; e < 4; ++e) {
    const cv::Point2f a = p[e], b = p[(e + 1) % 4];
    const double len = cv::norm(b - a);
    if (len < std::max(r.size.width, r.size.height) * 0.9) continue;  // a short edge
    const cv::Point2f along = (b - a) * (1.0 / len);
    cv::Point2f normal(-along.y, along.x);
    if ((a - centre).dot(normal) < 0) normal = -normal;  // outwards
    std::vector<double> sigmas;
    for (double f = 0.25; f <= 0.75; f += 0.025) {
      const cv::Point2f at = a + (b - a) * f;
      constexpr int kHalf = 16;  // samples each side, half a pixel apart: ±8 px
      std::array<double, 2 * kHalf + 1> v{};
      for (int k = -kHalf; k <= kHalf; ++k) {
        double sum = 0;
        for (int s = -1; s <= 1; ++s) {
          cv::Mat px;
          cv::getRectSubPix(gray, {1, 1}, at + normal * (0.5f * k) + along * static_cast<float>(s), px, CV_32F);
          sum += px.at<float>(0, 0);
        }
        v[k + kHalf] = sum / 3;
      }
      const double inner = (v[0] + v[1] + v[2] + v[3]) / 4,
                   outer = (v[2 * kHalf] + v[2 * kHalf - 1] + v[2 * kHalf - 2] + v[2 * kHalf - 3]) / 4;
      const double step = std::abs(inner - outer);
      if (step < 25) continue;
      double slope = 0;
      for (int k = 1; k < 2 * kHalf; ++k) slope = std::max(slope, std::abs(v[k + 1] - v[k - 1]));  // per pixel (two half-steps)
      if (slope <= 0) continue;
      sigmas.push_back(step / (slope * 2.5066));
    }
    if (sigmas.size() < 5) continue;
    std::nth_element(sigmas.begin(), sigmas.begin() + sigmas.size() / 2, sigmas.end());
    per_edge.push_back(sigmas[sigmas.size() / 2]);
  }
  if (per_edge.empty()) return -1;
  return *std::min_element(per_edge.begin(), per_edge.end());
}

// The index of the largest value of `v` in [from, to).
int ArgMax(const std::vector<double>& v, int from, int to) {
  from = std::max(from, 0);
  to = std::min(to, static_cast<int>(v.size()));
  int best = from;
  for (int i = from; i < to; ++i) {
    if (v[i] > v[best]) best = i;
  }
  return best;
}

// The result window's outline: on the cassette's paper the frame is a closed dark rectangle
// (the lines that cross the window touch it and are part of it), found among the dark shapes
// (the frame, the print, the sample well) as the one nearest the template's size, centred
// across the cassette. nullopt when none is of plausible size: not this kit, or not a kit.
std::optional<cv::Rect> FindWindow(const cv::Mat& upright, const KitTemplate& t) {
  cv::Mat gray, dark;
  cv::cvtColor(upright, gray, cv::COLOR_BGR2GRAY);
  cv::adaptiveThreshold(gray, dark, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 21, 10);
  // Searched at either end: the cassette may lie either way up.
  const double y0 = std::min(t.window_y0, 1 - t.window_y1), y1 = std::max(t.window_y1, 1 - t.window_y0);
  const cv::Rect region(static_cast<int>(t.window_x0 * kUprightW), static_cast<int>(y0 * kUprightH),
                        static_cast<int>((t.window_x1 - t.window_x0) * kUprightW), static_cast<int>((y1 - y0) * kUprightH));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(dark(region), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE, region.tl());
  const double want_w = t.window_w * kUprightW, want_h = t.window_h * kUprightH;
  std::optional<cv::Rect> best;
  double best_score = 0.6;  // off by more than this (in shares of the expected size) is no window
  for (const auto& c : contours) {
    const cv::Rect b = cv::boundingRect(c);
    const double score = std::abs(b.width - want_w) / want_w + std::abs(b.height - want_h) / want_h +
                         std::abs(b.x + b.width / 2.0 - kUprightW / 2.0) / want_w;
    if (score < best_score) {
      best = b;
      best_score = score;
    }
  }
  return best;
}

}  // namespace

std::string_view KitCategoryName(KitCategory c) {
  for (const auto& [k, name] : kNames) {
    if (k == c) return name;
  }
  return "no_kit";
}

Result<KitCategory> ParseKitCategory(std::string_view name) {
  for (const auto& [k, n] : kNames) {
    if (n == name) return k;
  }
  return InvalidArgumentError("category", "must be readable, no_control_line, blurry, glare, no_kit or too_small", "unknown_category");
}

Result<KitReading> ReadKit(const cv::Mat& bgr, const KitTemplate& t, const KitThresholds& th) {
  if (bgr.empty() || bgr.type() != CV_8UC3) return InvalidArgumentError("photo", "must be an 8-bit colour picture", "not_an_image");
  KitReading out;
  out.template_name = t.name;
  const double scale = static_cast<double>(kWorkLong) / std::max(bgr.cols, bgr.rows);
  cv::Mat work;
  if (scale < 1) {
    cv::resize(bgr, work, {}, scale, scale, cv::INTER_AREA);
  } else {
    work = bgr;
  }
  const std::optional<cv::RotatedRect> cassette = FindCassette(work, t);
  if (!cassette) return out;  // kNoKit
  const double long_side = std::max(cassette->size.width, cassette->size.height);
  const double short_side = std::min(cassette->size.width, cassette->size.height);
  out.long_side_share = long_side / std::min(work.cols, work.rows);
  if (out.long_side_share < th.min_long_side_share || long_side / std::min(scale, 1.0) < th.min_long_side_px) {
    out.category = KitCategory::kTooSmall;
    return out;
  }
  cv::Mat gray;
  cv::cvtColor(work, gray, cv::COLOR_BGR2GRAY);
  const double blur = EdgeBlur(gray, *cassette);
  out.edge_blur = blur < 0 ? 0 : 1000 * blur / short_side;
  cv::Mat upright = Rectify(work, *cassette);
  std::optional<cv::Rect> window = FindWindow(upright, t);
  if (blur < 0 || out.edge_blur > th.max_edge_blur) {
    out.category = KitCategory::kBlurry;
    return out;
  }
  if (!window) {
    // A washed-out window has no frame to find; a card of the right shape without a window is no kit.
    const cv::Mat middle = MinChannel(upright(cv::Range(kUprightH / 5, kUprightH * 4 / 5), cv::Range(kUprightW / 4, kUprightW * 3 / 4)));
    out.glare_share = static_cast<double>(cv::countNonZero(middle >= 250)) / middle.total();
    if (out.glare_share > th.max_glare_share) out.category = KitCategory::kGlare;
    return out;
  }
  // Which end is up: the window sits nearer one end of the cassette (the sample well's end is
  // the other); a window found nearer the wrong end means the cassette lies upside down.
  const double centre = (window->y + window->height / 2.0) / kUprightH;
  if (std::abs(centre - (1 - t.window_cy)) < std::abs(centre - t.window_cy)) {
    cv::rotate(upright, upright, cv::ROTATE_180);
    *window = cv::Rect(kUprightW - window->x - window->width, kUprightH - window->y - window->height, window->width, window->height);
  }
  // The strip: the window inside its frame, away from the frame's edges.
  const int inset = std::max(2, window->width / 5);
  const cv::Range xs(window->x + inset, window->x + window->width - inset);
  const cv::Range ys(window->y + 3, window->y + window->height - 3);
  if (xs.size() < 3 || ys.size() < 10) return out;
  const cv::Mat strip = upright(ys, xs);
  // Glare: pixels washed out to white.
  const cv::Mat light = MinChannel(strip);
  out.glare_share = static_cast<double>(cv::countNonZero(light >= 250)) / light.total();
  if (out.glare_share > th.max_glare_share) {
    out.category = KitCategory::kGlare;
    return out;
  }
  // The profile along the strip: the green channel per row, which the lines' red-to-purple dye
  // darkens most and which JPEG keeps at full resolution (colour differences it halves). Each
  // row is measured against the paper around it (the median of the rows within kAround), so
  // light falling unevenly along the window is not read as a line.
  std::array<cv::Mat, 3> ch;
  cv::split(strip, ch.data());
  const int n = strip.rows;
  std::vector<double> profile(static_cast<size_t>(n));
  for (int y = 0; y < n; ++y) profile[y] = cv::mean(ch[1].row(y))[0];
  constexpr int kAround = 12;
  std::vector<double> depth(profile.size());
  for (int y = 0; y < n; ++y) {
    std::vector<double> near(profile.begin() + std::max(0, y - kAround), profile.begin() + std::min(n, y + kAround + 1));
    std::nth_element(near.begin(), near.begin() + near.size() * 3 / 4, near.end());
    const double paper = near[near.size() * 3 / 4];
    const double at = (profile[std::max(0, y - 1)] + profile[y] + profile[std::min(n - 1, y + 1)]) / 3;
    depth[y] = std::max(0.0, paper - at);
  }
  auto peak = [&](double at) {
    const int from = static_cast<int>((at - t.line_search) * n), to = static_cast<int>((at + t.line_search) * n) + 1;
    return depth[ArgMax(depth, from, to)];
  };
  const double c = peak(t.control_at), tl = peak(t.test_at);
  out.control_line = c / t.full_line_depth;
  if (out.control_line < th.min_control) {
    out.test_line = tl / t.full_line_depth;  // without a C line to compare with
    out.category = KitCategory::kNoControlLine;
    return out;
  }
  out.test_line = tl / c;
  out.category = KitCategory::kReadable;
  out.test_line_seen = out.test_line >= th.min_test;
  return out;
}

Result<KitReading> ReadKitWithAny(const cv::Mat& bgr, const std::vector<KitTemplate>& templates, const KitThresholds& th) {
  if (templates.empty()) return InvalidArgumentError("templates", "at least one kit template", "no_templates");
  std::optional<KitReading> first;
  for (const KitTemplate& t : templates) {
    MADOGUCHI_ASSIGN_OR_RETURN(KitReading r, ReadKit(bgr, t, th));
    if (r.category != KitCategory::kNoKit) return r;
    if (!first) first = r;
  }
  return *first;
}

}  // namespace madoguchi::care
