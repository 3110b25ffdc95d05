// The kit-photo pre-read on ../shared/data/kits (labelled synthetic photos; CI has them): every
// unusable photo is sorted with the right reason, no readable photo is sent back, the T line is
// found on every readable photo whose line has strength ≥ 0.07 and on none without one, and the
// strengths it reports are near the labels'. Timing is bench/kit_read_bench.cpp's, not a test's.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "care/kit_read.hpp"
#include "care/photo.hpp"
#include "support/shared_data.hpp"

namespace madoguchi::care {
namespace {

using testing::SharedData;

struct Label {
  std::string file, expected;
  bool test_line = false;
  double t_strength = 0;
};

std::vector<Label> Labels() {
  std::ifstream in(SharedData("kits") / "labels.csv");
  std::vector<Label> out;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::vector<std::string> cells;
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (cells.size() < 5) continue;
    out.push_back({cells[0], cells[1], cells[2] == "present", std::stod(cells[4])});
  }
  return out;
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The photo as an upload reaches the pre-read: checked, decoded upright, in memory.
KitReading Read(const std::string& file) {
  auto photo = CleanPhoto(Slurp(SharedData("kits") / file));
  EXPECT_TRUE(photo.ok()) << file << ": " << photo.status().ToString();
  if (!photo.ok()) return {};
  auto r = ReadKit(photo->bgr);
  EXPECT_TRUE(r.ok()) << file;
  return r.ok() ? *r : KitReading{};
}

TEST(KitReadTest, EveryLabelledPhotoIsSortedAsAPersonWouldSortIt) {
  MADOGUCHI_REQUIRE_SHARED_DATA("kits");
  const auto labels = Labels();
  ASSERT_GE(labels.size(), 70u);
  std::map<std::string, int> seen;
  for (const Label& l : labels) {
    const KitReading r = Read(l.file);
    EXPECT_EQ(KitCategoryName(r.category), l.expected)
        << l.file << " (blur " << r.edge_blur << ", glare " << r.glare_share << ", C " << r.control_line << ")";
    ++seen[l.expected];
  }
  for (const char* c : {"readable", "blurry", "glare", "no_control_line", "no_kit", "too_small"}) {
    EXPECT_GT(seen[c], 0) << "the set has " << c << " photos";
  }
}

TEST(KitReadTest, TheTestLineIsFoundFromStrengthSevenHundredthsAndNeverWithoutOne) {
  MADOGUCHI_REQUIRE_SHARED_DATA("kits");
  int faint = 0, absent = 0;
  for (const Label& l : Labels()) {
    if (l.expected != "readable") continue;
    const KitReading r = Read(l.file);
    ASSERT_EQ(r.category, KitCategory::kReadable) << l.file;
    EXPECT_GT(r.control_line, 0.5) << l.file << ": a full C line";
    if (!l.test_line) {
      ++absent;
      EXPECT_FALSE(r.test_line_seen) << l.file << ": no T line was drawn, yet " << r.test_line;
    } else if (l.t_strength >= 0.07) {
      ++faint;
      EXPECT_TRUE(r.test_line_seen) << l.file << ": T " << l.t_strength << " read as " << r.test_line;
      // The strength is a hint for the doctor: it must be near what was drawn.
      EXPECT_NEAR(r.test_line, l.t_strength, 0.25 * l.t_strength + 0.02) << l.file;
    }
  }
  EXPECT_GT(faint, 30);
  EXPECT_GT(absent, 4);
}

TEST(KitReadTest, AnUpsideDownOrTurnedPhotoReadsTheSame) {
  MADOGUCHI_REQUIRE_SHARED_DATA("kits");
  auto photo = CleanPhoto(Slurp(SharedData("kits") / "kit_032.jpg"));  // T 0.40
  ASSERT_TRUE(photo.ok());
  for (cv::RotateFlags turn : {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE}) {
    cv::Mat turned;
    cv::rotate(photo->bgr, turned, turn);
    auto r = ReadKit(turned);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->category, KitCategory::kReadable) << turn;
    EXPECT_NEAR(r->test_line, 0.40, 0.08) << turn;
  }
}

TEST(KitReadTest, APictureOfNothingIsNoKitAndAnEmptyMatrixIsAnError) {
  cv::Mat grey(480, 640, CV_8UC3, cv::Scalar(128, 128, 128));
  auto r = ReadKit(grey);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->category, KitCategory::kNoKit);
  cv::Mat white(480, 640, CV_8UC3, cv::Scalar(250, 250, 250));
  EXPECT_EQ(ReadKit(white)->category, KitCategory::kNoKit);
  auto empty = ReadKit(cv::Mat());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().key(), "not_an_image");
}

TEST(KitReadTest, CategoriesHaveStableNames) {
  for (KitCategory c : {KitCategory::kReadable, KitCategory::kNoControlLine, KitCategory::kBlurry, KitCategory::kGlare, KitCategory::kNoKit,
                        KitCategory::kTooSmall}) {
    auto back = ParseKitCategory(KitCategoryName(c));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, c);
  }
  EXPECT_EQ(ParseKitCategory("positive").status().key(), "unknown_category");
}

TEST(KitReadTest, AnotherLayoutIsATemplateAndTheFirstThatFindsItsCassetteReads) {
  MADOGUCHI_REQUIRE_SHARED_DATA("kits");
  auto photo = CleanPhoto(Slurp(SharedData("kits") / "kit_040.jpg"));
  ASSERT_TRUE(photo.ok());
  KitTemplate square;  // a kit of another shape finds no cassette here
  square.name = "square_cassette";
  square.aspect = 1.0;
  square.aspect_tolerance = 0.2;
  auto r = ReadKitWithAny(photo->bgr, {square, KitTemplate{}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->template_name, "cassette_one_window");
  EXPECT_EQ(r->category, KitCategory::kReadable);
  EXPECT_EQ(ReadKitWithAny(photo->bgr, {}).status().key(), "no_templates");
}

}  // namespace
}  // namespace madoguchi::care
