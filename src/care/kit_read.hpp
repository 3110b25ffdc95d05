// src/care/kit_read.hpp — the kit-photo pre-read: classical computer vision on a photo of an
// antigen test cassette (lateral flow), before a doctor sees it. It finds the cassette, rectifies
// it upright, finds the result window, profiles the strip across it and measures the control (C)
// and test (T) lines. It sorts the photo into what can be read and what must be taken again, so a
// resident hears at once what to do instead of a day later. It never decides a diagnosis: the
// reading orders the doctors' queue and is shown to them as a hint. docs/care.md.
//
// Kits differ (a brand's layout, two-window combination kits): each layout is a KitTemplate, the
// positions on the upright cassette as fractions of its width and length, so a new kit is a new
// template and not new code.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::care {

// What the photo is, as evidence. Every category but kReadable asks for a new photo.
enum class KitCategory {
  kReadable,       // the window is clear: the lines are read
  kNoControlLine,  // no C line: the test did not run (invalid), whatever T shows
  kBlurry,         // out of focus or moved
  kGlare,          // the window is washed out by light
  kNoKit,          // no cassette in the picture (an ID card, a box, a hand)
  kTooSmall,       // the cassette is too small in the frame to read
};
std::string_view KitCategoryName(KitCategory c);  // "readable", "no_control_line", "blurry", …
Result<KitCategory> ParseKitCategory(std::string_view name);

// A kit's layout on its cassette, upright (sample well at the bottom), as fractions of the
// cassette's width (x) and length (y). The defaults are the one-window cassette of the common
// Japanese OTC antigen kits (and of ../shared/data/kits).
struct KitTemplate {
  std::string name = "cassette_one_window";
  double aspect = 3.0;            // length / width of the cassette
  double aspect_tolerance = 0.7;  // a blob whose ratio is further off is not this cassette
  // The result window (its outline): its size, and where it is searched for.
  double window_w = 0.32, window_h = 0.33, window_cy = 0.415;
  double window_x0 = 0.2, window_x1 = 0.8, window_y0 = 0.12, window_y1 = 0.7;
  // The lines' centres, as fractions of the window's inner length from its top, and how far
  // either way each is searched for.
  double control_at = 0.25, test_at = 0.62, line_search = 0.13;
  // How much a full line darkens the green channel below the paper, on a good photo (0..255).
  double full_line_depth = 120;
};

// The thresholds that sort photos; named so a tenant's staff can read why, and tuned on
// ../shared/data/kits (docs/care.md gives the margins measured there).
struct KitThresholds {
  double min_long_side_share = 0.40;  // the cassette's length over the frame's shorter side
  int min_long_side_px = 200;         // and in the photo's own pixels
  double max_edge_blur = 11.5;        // the cassette edge's blur (Gaussian sigma) over its width, per mille
  double max_glare_share = 0.12;      // the window's share of washed-out (near white) pixels
  double min_control = 0.25;          // the C line's strength below which there is none
  double min_test = 0.03;             // the T line's strength (relative to C) from which one is seen
};

struct KitReading {
  KitCategory category = KitCategory::kNoKit;
  // The lines' strengths: C as a share of a full line's contrast (about 1 on a good photo), T
  // relative to C (0.07 is a faint line, 0.8 a strong one). 0 where not measured.
  double control_line = 0;
  double test_line = 0;
  bool test_line_seen = false;  // test_line ≥ KitThresholds::min_test on a readable photo
  // What was measured on the way, for staff checking a batch and for tuning.
  double edge_blur = 0;    // per mille of the cassette's width
  double glare_share = 0;  // of the window
  double long_side_share = 0;
  std::string template_name;
};

// Reads a decoded photo (8-bit BGR, upright). Never fails on a picture: what cannot be read is
// a category. Errors: kInvalidArgument "not_an_image" for an empty or non-BGR matrix.
Result<KitReading> ReadKit(const cv::Mat& bgr, const KitTemplate& t = {}, const KitThresholds& th = {});

// The same, trying each template and keeping the first that finds its cassette (readable or
// not for another reason than kNoKit). `templates` not empty.
Result<KitReading> ReadKitWithAny(const cv::Mat& bgr, const std::vector<KitTemplate>& templates, const KitThresholds& th = {});

}  // namespace madoguchi::care
