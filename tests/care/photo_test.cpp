// Photo uploads: the type from the bytes (a PNG named .jpg is a PNG; a PDF named .jpg is
// refused), the size in bytes and in pixels from the header before anything is decoded (a PNG
// claiming 20000 × 20000 is refused from its 33-byte header), and what is kept: upright by its
// EXIF orientation, with no EXIF, GPS or any other metadata left in it.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <sstream>

#include "care/photo.hpp"
#include "support/shared_data.hpp"

namespace madoguchi::care {
namespace {

using testing::SharedData;

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Encode(const std::string& ext, const cv::Mat& m) {
  std::vector<unsigned char> out;
  EXPECT_TRUE(cv::imencode(ext, m, out));
  return std::string(out.begin(), out.end());
}

// A PNG's signature and IHDR chunk claiming `w` × `h`, and nothing after it that would decode.
std::string PngHeader(uint32_t w, uint32_t h) {
  std::string b = "\x89PNG\r\n\x1a\n";
  b += std::string("\0\0\0\x0d", 4) + "IHDR";
  for (uint32_t v : {w, h}) {
    for (int s = 24; s >= 0; s -= 8) b += static_cast<char>((v >> s) & 0xFF);
  }
  b += std::string("\x08\x02\0\0\0", 5);  // 8-bit RGB, deflate, no filter, no interlace
  b += std::string(4, '\0');              // CRC (never reached)
  b += std::string(64, 'x');
  return b;
}

TEST(PhotoTest, ExifAndGpsAreGoneAndThePictureIsUpright) {
  MADOGUCHI_REQUIRE_SHARED_DATA("kits");
  const std::string in = Slurp(SharedData("kits") / "photo_with_gps_exif.jpg");
  ASSERT_NE(in.find("Exif"), std::string::npos) << "the photo carries EXIF";
  ASSERT_NE(in.find(std::string("\x88\x25", 2)), std::string::npos) << "and a GPS IFD pointer (tag 0x8825)";
  auto stored = ReadImageSize(in, ImageType::kJpeg);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->width, 512);
  EXPECT_EQ(stored->height, 384);

  auto clean = CleanPhoto(in);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(clean->type, ImageType::kJpeg);
  // Orientation 6 (turn 90° clockwise to show): kept turned, so it needs no tag.
  auto kept = ReadImageSize(clean->jpeg, ImageType::kJpeg);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->width, 384);
  EXPECT_EQ(kept->height, 512);
  EXPECT_EQ(clean->bgr.cols, 384);
  EXPECT_EQ(clean->bgr.rows, 512);
  EXPECT_EQ(clean->jpeg.find("Exif"), std::string::npos);
  EXPECT_EQ(clean->jpeg.find(std::string("\xFF\xE1", 2)), std::string::npos) << "no APP1 segment (EXIF, XMP)";
  EXPECT_EQ(clean->jpeg.find(std::string("\xFF\xFE", 2)), std::string::npos) << "no comment";
  EXPECT_EQ(clean->jpeg.find(std::string("\x88\x25", 2)), std::string::npos);
  // Read back, it is the same picture the same way up (a decoder that ignores EXIF agrees).
  const cv::Mat raw(1, static_cast<int>(clean->jpeg.size()), CV_8UC1, clean->jpeg.data());
  const cv::Mat back = cv::imdecode(raw, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  EXPECT_EQ(back.cols, 384);
  EXPECT_EQ(back.rows, 512);
}

TEST(PhotoTest, TheTypeComesFromTheBytesNotTheName) {
  const cv::Mat m(60, 80, CV_8UC3, cv::Scalar(30, 120, 200));
  const std::string png = Encode(".png", m);  // however it is named ("kit.jpg")
  auto sniffed = SniffImageType(png);
  ASSERT_TRUE(sniffed.ok());
  EXPECT_EQ(*sniffed, ImageType::kPng);
  auto clean = CleanPhoto(png);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(clean->type, ImageType::kPng);
  EXPECT_EQ(SniffImageType(clean->jpeg).value(), ImageType::kJpeg) << "kept as JPEG";

  const std::string pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";  // named "kit.jpg"
  auto refused = CleanPhoto(pdf);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().key(), "not_a_photo");
  EXPECT_EQ(refused.status().field(), "photo");
  EXPECT_EQ(CleanPhoto("GIF89a....", {}, "id_photo").status().field(), "id_photo");
  EXPECT_EQ(CleanPhoto("").status().key(), "empty_photo");
}

TEST(PhotoTest, ADecompressionBombIsRefusedFromItsHeaderBeforeDecoding) {
  const std::string bomb = PngHeader(20000, 20000);  // 400 megapixels claimed in 105 bytes
  auto size = ReadImageSize(bomb, ImageType::kPng);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->width, 20000);
  auto refused = CleanPhoto(bomb);
  ASSERT_FALSE(refused.ok());
  // Refused as too many pixels, not as undecodable: nothing was decoded.
  EXPECT_EQ(refused.status().key(), "photo_too_many_pixels");
  EXPECT_TRUE(CheckPhoto(PngHeader(8000, 6000)).ok()) << "48 megapixels is within 50";
  EXPECT_EQ(CheckPhoto(PngHeader(8000, 6300)).status().key(), "photo_too_many_pixels");
}

TEST(PhotoTest, MoreThanFifteenMegabytesIsRefusedUnread) {
  std::string big = Encode(".jpg", cv::Mat(8, 8, CV_8UC3, cv::Scalar(1, 2, 3)));
  big.resize(15 * 1024 * 1024 + 1, '\0');
  auto refused = CheckPhoto(big);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().key(), "photo_too_large");
}

TEST(PhotoTest, ABrokenHeaderOrBodyIsUnreadable) {
  const std::string jpeg = Encode(".jpg", cv::Mat(40, 40, CV_8UC3, cv::Scalar(9, 9, 9)));
  EXPECT_EQ(CheckPhoto(jpeg.substr(0, 10)).status().key(), "unreadable_photo") << "cut inside the header";
  // A whole header and a body of noise: it passes the header checks and fails to decode.
  const std::string png = PngHeader(100, 100);
  EXPECT_TRUE(CheckPhoto(png).ok());
  EXPECT_EQ(CleanPhoto(png).status().key(), "unreadable_photo");
}

}  // namespace
}  // namespace madoguchi::care
