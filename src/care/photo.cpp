#include "care/photo.hpp"

#include <opencv2/imgcodecs.hpp>

#include <vector>

namespace madoguchi::care {

namespace {

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";

uint32_t BigEndian(std::string_view b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

Status Unreadable(std::string_view field, std::string_view why) {
  return InvalidArgumentError(std::string(field), "the picture cannot be read: " + std::string(why), "unreadable_photo");
}

// PNG: the signature, then IHDR (length 13) with width and height.
Result<ImageSize> PngSize(std::string_view b, std::string_view field) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") return Unreadable(field, "no PNG header");
  const uint32_t w = BigEndian(b, 16, 4), h = BigEndian(b, 20, 4);
  if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) return Unreadable(field, "a PNG of no size");
  return ImageSize{static_cast<int>(w), static_cast<int>(h)};
}

// JPEG: the markers after SOI until the first frame header (SOF0–SOF15 but DHT C4, JPG C8 and
// DAC CC), whose payload is precision, height, width.
Result<ImageSize> JpegSize(std::string_view b, std::string_view field) {
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[i]) != 0xFF) return Unreadable(field, "a JPEG marker is missing");
    const auto marker = static_cast<unsigned char>(b[i + 1]);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // no length
      i += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // end of image, start of scan: no frame header came
    const uint32_t len = BigEndian(b, i + 2, 2);
    if (len < 2 || i + 2 + len > b.size()) return Unreadable(field, "a JPEG segment runs past the end");
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      if (len < 7) return Unreadable(field, "a JPEG frame header is too short");
      const uint32_t h = BigEndian(b, i + 5, 2), w = BigEndian(b, i + 7, 2);
      if (w == 0 || h == 0) return Unreadable(field, "a JPEG of no size");
      return ImageSize{static_cast<int>(w), static_cast<int>(h)};
    }
    i += 2 + len;
  }
  return Unreadable(field, "no JPEG frame header");
}

}  // namespace

std::string_view ImageTypeName(ImageType t) { return t == ImageType::kPng ? "png" : "jpeg"; }

Result<ImageType> SniffImageType(std::string_view bytes, std::string_view field) {
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xD8 &&
      static_cast<unsigned char>(bytes[2]) == 0xFF) {
    return ImageType::kJpeg;
  }
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return ImageType::kPng;
  return InvalidArgumentError(std::string(field), "only JPEG and PNG photos are taken", "not_a_photo");
}

Result<ImageSize> ReadImageSize(std::string_view bytes, ImageType type, std::string_view field) {
  return type == ImageType::kPng ? PngSize(bytes, field) : JpegSize(bytes, field);
}

Result<ImageSize> CheckPhoto(std::string_view bytes, const PhotoLimits& limits, std::string_view field) {
  if (bytes.empty()) return InvalidArgumentError(std::string(field), "no photo was sent", "empty_photo");
  MADOGUCHI_ASSIGN_OR_RETURN(ImageType type, SniffImageType(bytes, field));
  if (bytes.size() > limits.max_bytes) {
    return InvalidArgumentError(std::string(field), "the photo is larger than " + std::to_string(limits.max_bytes / (1024 * 1024)) + " MB",
                                "photo_too_large");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(ImageSize size, ReadImageSize(bytes, type, field));
  if (static_cast<int64_t>(size.width) * size.height > limits.max_pixels) {
    return InvalidArgumentError(std::string(field),
                                "the photo has more than " + std::to_string(limits.max_pixels / 1'000'000) + " megapixels",
                                "photo_too_many_pixels");
  }
  return size;
}

Result<CleanedPhoto> CleanPhoto(std::string_view bytes, const PhotoLimits& limits, std::string_view field) {
  MADOGUCHI_ASSIGN_OR_RETURN(ImageSize size, CheckPhoto(bytes, limits, field));
  (void)size;
  CleanedPhoto out;
  MADOGUCHI_ASSIGN_OR_RETURN(out.type, SniffImageType(bytes, field));
  // imdecode reads from memory; IMREAD_COLOR turns the picture by its EXIF orientation.
  const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  try {
    out.bgr = cv::imdecode(raw, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return Unreadable(field, "the decoder refused it");
  }
  if (out.bgr.empty()) return Unreadable(field, "it does not decode");
  if (static_cast<int64_t>(out.bgr.cols) * out.bgr.rows > limits.max_pixels) return Unreadable(field, "it decodes larger than it says");
  std::vector<unsigned char> jpeg;
  if (!cv::imencode(".jpg", out.bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90})) return Unreadable(field, "it cannot be encoded again");
  out.jpeg.assign(jpeg.begin(), jpeg.end());
  return out;
}

}  // namespace madoguchi::care
